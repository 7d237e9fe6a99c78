// The contract every WebhookStore keeps (webhooks/webhook-store.ts), over the change feed that
// ingest fills. Not part of the build.
import { describe, expect, it } from 'vitest';
import type { ChangeStore } from '../changes/change-store.js';
import { type IngestHarness, ingest, type OpenIngestWith } from '../storage/store-harness.contract.js';
import type { AttemptRecord, DueMessage, WebhookStore } from './webhook-store.js';

type WebhookParts = { readonly webhooks: WebhookStore; readonly changes: ChangeStore };
type Harness = IngestHarness & { readonly store: WebhookParts };

const url = 'http://127.0.0.1:9/hooks';
const minute = 60_000;

const attempt = (
  message: DueMessage,
  at: number,
  outcome: AttemptRecord['outcome'],
  nextAttemptAt: number | null = null,
): AttemptRecord => ({
  messageId: message.id,
  at,
  status: outcome === 'delivered' ? 204 : 500,
  error: outcome === 'delivered' ? null : 'answered 500',
  snippet: '',
  outcome,
  nextAttemptAt,
});

const typesOf = (messages: readonly DueMessage[]) =>
  messages.map((message) => (JSON.parse(message.body) as { type: string }).type);

/** An endpoint for `types`, reading from the feed's head. */
async function endpointFor(harness: Harness, types: Parameters<WebhookStore['create']>[0]['types']) {
  return (await harness.store.webhooks.create({ url, types }, harness.clock.time)).endpoint;
}

export function testWebhookStoreContract(open: OpenIngestWith<WebhookParts>): void {
  describe('WebhookStore contract', () => {
    it('keeps endpoints, shows a secret once, and signs with the old one until it expires', async () => {
      const harness = await open();
      const { webhooks } = harness.store;
      const { endpoint, secret } = await webhooks.create(
        { url, types: ['contact.created'], description: 'crm', format: 'segment', writeKey: 'wk' },
        1_000,
      );
      expect(endpoint).toMatchObject({
        url,
        description: 'crm',
        isEnabled: true,
        format: 'segment',
        hasWriteKey: true,
      });
      expect(JSON.stringify(await webhooks.list())).not.toContain(secret);
      expect(await webhooks.writeKeyOf(endpoint.id)).toBe('wk');
      expect(await webhooks.update(endpoint.id, { description: null, isEnabled: false }, 2_000)).toMatchObject({
        description: null,
        isEnabled: false,
        url,
        updatedAt: 2_000,
      });
      expect(await webhooks.update('wh_none', { description: 'x' }, 2_000)).toBeUndefined();

      const rotated = await webhooks.rotateSecret(endpoint.id, 3_000, 10_000);
      expect(await webhooks.secretsOf(endpoint.id, 9_999)).toEqual([rotated, secret]);
      expect(await webhooks.secretsOf(endpoint.id, 10_000)).toEqual([rotated]);
      expect((await webhooks.get(endpoint.id))?.id).toBe(endpoint.id);
      expect(await webhooks.remove(endpoint.id)).toBe(true);
      expect(await webhooks.remove(endpoint.id)).toBe(false);
      expect(await webhooks.list()).toEqual([]);
      await harness.close();
    });

    it('queues the changes after its position that it subscribes to, and records what each attempt came to', async () => {
      const harness = await open();
      const { webhooks } = harness.store;
      await ingest(harness, { type: 'identify', userId: 'before' });
      const endpoint = await endpointFor(harness, ['contact.created', 'event.stored']);
      await ingest(harness, { type: 'identify', userId: 'u1', traits: { plan: 'pro' } });
      await ingest(harness, { type: 'track', userId: 'u1', event: 'Paid' });
      expect(await webhooks.enqueue(endpoint.id, 2, harness.clock.time)).toBe(2);
      expect(await webhooks.enqueue(endpoint.id, 10, harness.clock.time)).toBe(1);
      expect((await webhooks.get(endpoint.id))?.position).toBe(await harness.store.changes.head());

      // One message per request: a contact's earliest pending one.
      const first = await webhooks.takeDue(endpoint.id, harness.clock.time, 10, minute);
      expect(typesOf(first)).toEqual(['contact.created']);
      expect(JSON.parse(first[0]?.body ?? '{}')).toMatchObject({ data: { traits: { plan: 'pro' } } });
      expect(await webhooks.hasDue(endpoint.id, harness.clock.time)).toBe(false);
      const at = harness.clock.time + 1_000;
      await webhooks.recordAttempts(endpoint.id, [attempt(first[0] as DueMessage, at, 'delivered')]);
      expect((await webhooks.get(endpoint.id))?.lastSuccessAt).toBe(at);

      // The contact's two stored events go one after the other.
      const identify = await webhooks.takeDue(endpoint.id, at, 10, minute);
      expect(typesOf(identify)).toEqual(['event.stored']);
      await webhooks.recordAttempts(endpoint.id, [attempt(identify[0] as DueMessage, at, 'delivered')]);
      const paid = await webhooks.takeDue(endpoint.id, at, 10, minute);
      expect(JSON.parse(paid[0]?.body ?? '{}')).toMatchObject({ data: { event: { event: 'Paid', userId: 'u1' } } });
      await webhooks.recordAttempts(endpoint.id, [attempt(paid[0] as DueMessage, at, 'delivered')]);
      const listed = await webhooks.messages(endpoint.id, Number.MAX_SAFE_INTEGER, 10);
      expect(listed.map((message) => message.status)).toEqual(['delivered', 'delivered', 'delivered']);
      expect(listed[0]?.attempts).toBe(1);
      expect(await webhooks.backlog()).toEqual([
        { endpointId: endpoint.id, unread: 0, pending: 0, oldestPendingAt: null },
      ]);
      expect(await webhooks.pruneDelivered(at + 1, 2)).toBe(2);
      expect(await webhooks.pruneDelivered(at + 1, 2)).toBe(1);
      await harness.close();
    });

    it("keeps a contact's later changes waiting while an earlier one is in flight or being retried", async () => {
      const harness = await open();
      const { webhooks } = harness.store;
      const endpoint = await endpointFor(harness, ['event.stored']);
      await ingest(harness, { type: 'track', userId: 'u1', event: 'A' });
      await ingest(harness, { type: 'track', userId: 'u1', event: 'B' });
      await ingest(harness, { type: 'track', userId: 'u2', event: 'C' });
      await webhooks.enqueue(endpoint.id, 10, harness.clock.time);
      const now = harness.clock.time;
      const nameOf = (message: DueMessage) => (JSON.parse(message.body) as { data: { name: string } }).data.name;

      const taken = await webhooks.takeDue(endpoint.id, now, 10, minute);
      expect(taken.map(nameOf)).toEqual(['A', 'C']);
      // In flight: not taken again until the lease ends, and B waits behind A.
      expect(await webhooks.takeDue(endpoint.id, now, 10, minute)).toEqual([]);
      expect(await webhooks.takeDue(endpoint.id, now, 10, minute, 'inOrder')).toEqual([]);
      const [a, c] = taken as [DueMessage, DueMessage];
      await webhooks.recordAttempts(endpoint.id, [
        attempt(a, now, 'retry', now + minute),
        attempt(c, now, 'delivered'),
      ]);
      expect(await webhooks.takeDue(endpoint.id, now, 10, minute)).toEqual([]);
      expect(await webhooks.nextDueAt(endpoint.id, now)).toBe(now + minute);
      // Due again: A, then (in order, for one request) A and B together.
      expect((await webhooks.takeDue(endpoint.id, now + minute, 10, minute, 'inOrder')).map(nameOf)).toEqual([
        'A',
        'B',
      ]);
      // A lease that ended makes its messages due again.
      expect((await webhooks.takeDue(endpoint.id, now + 2 * minute, 10, minute)).map(nameOf)).toEqual(['A']);
      await harness.close();
    });

    it('records a gap where the feed was pruned before the queue read it, and replays what it had read', async () => {
      const harness = await open();
      const { webhooks, changes } = harness.store;
      const endpoint = await endpointFor(harness, ['contact.created']);
      await ingest(harness, { type: 'identify', userId: 'u1' });
      await ingest(harness, { type: 'identify', userId: 'u2' });
      harness.clock.time += 10 * minute;
      const head = await changes.head();
      await changes.prune({
        eventsBefore: harness.clock.time,
        contactsBefore: harness.clock.time,
        heldAt: head,
        maxRows: 100,
      });
      expect(await webhooks.enqueue(endpoint.id, 10, harness.clock.time)).toBe(0);
      const [gap] = await webhooks.messages(endpoint.id, Number.MAX_SAFE_INTEGER, 10);
      expect(gap).toMatchObject({ type: 'gap', status: 'gap', seq: head });
      expect((await webhooks.get(endpoint.id))?.position).toBe(head);

      const start = harness.clock.time;
      await ingest(harness, { type: 'identify', userId: 'u3' });
      await webhooks.enqueue(endpoint.id, 10, harness.clock.time);
      const [sent] = await webhooks.takeDue(endpoint.id, harness.clock.time, 10, minute);
      await webhooks.recordAttempts(endpoint.id, [attempt(sent as DueMessage, harness.clock.time, 'delivered')]);
      expect(await webhooks.replay(endpoint.id, start, harness.clock.time, harness.clock.time)).toBe(1);
      const again = await webhooks.takeDue(endpoint.id, harness.clock.time, 10, minute);
      expect(again.map((message) => message.webhookId)).toEqual([sent?.webhookId]);
      await harness.close();
    });

    it('marks a message failed when its change left the feed before it was sent', async () => {
      const harness = await open();
      const { webhooks, changes } = harness.store;
      const endpoint = await endpointFor(harness, ['contact.created']);
      await ingest(harness, { type: 'identify', userId: 'u1' });
      await webhooks.enqueue(endpoint.id, 10, harness.clock.time);
      harness.clock.time += 10 * minute;
      await changes.prune({
        eventsBefore: harness.clock.time,
        contactsBefore: harness.clock.time,
        heldAt: Number.POSITIVE_INFINITY,
        maxRows: 100,
      });
      expect(await webhooks.takeDue(endpoint.id, harness.clock.time, 10, minute)).toEqual([]);
      const [message] = await webhooks.messages(endpoint.id, Number.MAX_SAFE_INTEGER, 10);
      expect(message).toMatchObject({ status: 'failed', lastError: 'the change is no longer in the feed' });
      await harness.close();
    });
  });
}
