import { afterEach, describe, expect, it } from 'vitest';
import { readSse } from '../../testing/sse-reader.js';
import { openUiTestApp } from '../ui-test-kit.js';

const open: { cancel(): Promise<void> }[] = [];
afterEach(async () => {
  for (const stream of open.splice(0)) await stream.cancel();
});

/** The next message that is not a keep-alive comment, or undefined after `timeoutMs`. */
async function nextEvent(sse: ReturnType<typeof readSse>, timeoutMs: number) {
  for (;;) {
    const message = await sse.next(timeoutMs);
    if (!message || message.event) return message;
  }
}

describe('live pages', () => {
  it("tells a contact's page when a commit changes that contact, and stays quiet for others", async () => {
    const harness = await openUiTestApp();
    await harness.post('/v1/identify', { userId: 'u1', traits: { plan: 'free' } });
    await harness.post('/v1/identify', { userId: 'u2', traits: { plan: 'free' } });
    const contactId = (await harness.store.contacts.queries.profileByIdentifier('user_id', 'u1'))?.public_id;
    const client = await harness.loginAs('viewer');
    const response = await client.get(`/ui/live/contacts/${contactId}`);
    expect(response.headers.get('Content-Type')).toMatch(/text\/event-stream/);
    const sse = readSse(response.body as ReadableStream<Uint8Array>);
    open.push(sse);
    expect(await nextEvent(sse, 2_000)).toMatchObject({ event: 'ready' });
    await harness.post('/v1/identify', { userId: 'u2', traits: { plan: 'pro' } });
    expect(await nextEvent(sse, 300)).toBeUndefined();
    await harness.post('/v1/identify', { userId: 'u1', traits: { plan: 'pro' } });
    expect(await nextEvent(sse, 2_000)).toMatchObject({ event: 'change' });
  });

  it("wakes an audience's page when someone enters it", async () => {
    const harness = await openUiTestApp();
    const audience = await harness.store.audiences.create({
      name: 'Pro',
      rule: { trait: 'plan', op: 'eq', value: 'pro' },
    });
    const client = await harness.loginAs('viewer');
    const sse = readSse((await client.get(`/ui/live/audiences/${audience.id}`)).body as ReadableStream<Uint8Array>);
    open.push(sse);
    expect(await nextEvent(sse, 2_000)).toMatchObject({ event: 'ready' });
    await harness.post('/v1/identify', { userId: 'u1', traits: { plan: 'pro' } });
    expect(await nextEvent(sse, 2_000)).toMatchObject({ event: 'change' });
  });

  it('ends the stream with an `end` event once its session is revoked', async () => {
    const harness = await openUiTestApp();
    await harness.post('/v1/identify', { userId: 'u1', traits: { plan: 'free' } });
    const contactId = (await harness.store.contacts.queries.profileByIdentifier('user_id', 'u1'))?.public_id;
    const client = await harness.loginAs('viewer');
    const sse = readSse((await client.get(`/ui/live/contacts/${contactId}`)).body as ReadableStream<Uint8Array>);
    open.push(sse);
    expect(await nextEvent(sse, 2_000)).toMatchObject({ event: 'ready' });
    await harness.store.users.sessions.revokeAllOf(client.user.id);
    await harness.post('/v1/identify', { userId: 'u1', traits: { plan: 'pro' } });
    expect(await nextEvent(sse, 2_000)).toMatchObject({ event: 'end' });
  });

  it('needs a session, like every page', async () => {
    const harness = await openUiTestApp();
    expect((await harness.app.request('/ui/live/contacts/ct_x')).status).toBe(303);
  });
});
