import type { StoredChange } from '../../../changes/change.js';
import type { WebhookStore } from '../../../webhooks/webhook-store.js';
import { isConsented, isSubscribed, payloadTextOf, type Subscription } from '../../../webhooks/webhook-subscription.js';
import {
  type EndpointRow,
  gapMessage,
  inOrderDue,
  liveSecrets,
  lostMessageError,
  type MessageRow,
  newEndpoint,
  pendingMessage,
  rotatedSecrets,
  statusAfter,
  subscriptionOf,
  toEndpoint,
  toMessage,
  updatedEndpoint,
} from '../../webhook-rows.js';
import { createUnflushedWriter, type SqliteDatabase } from '../open-database.js';
import { answeredAsync } from '../synchronous.js';

/** WebhookStore on the tables of migration 022; reads the change feed's tables of migration 016. */
export function createSqliteWebhookStore(db: SqliteDatabase): WebhookStore {
  const selectAll = db.prepare<[], EndpointRow>('SELECT * FROM webhook_endpoints ORDER BY created_at, id');
  const selectOne = db.prepare<[string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = ?');
  const insertEndpoint = db.prepare(
    `INSERT INTO webhook_endpoints (id, url, description, types, filters, secrets, is_enabled, max_per_second,
       format, forward_write_key, consent_category, position, created_at, updated_at)
     VALUES (@id, @url, @description, @types, @filters, @secrets, @isEnabled, @maxPerSecond,
       @format, @writeKey, @consentCategory, @position, @at, @at)`,
  );
  const updateEndpoint = db.prepare(
    `UPDATE webhook_endpoints SET url = @url, description = @description, types = @types, filters = @filters,
       is_enabled = @isEnabled, disabled_reason = CASE WHEN @isEnabled THEN NULL ELSE disabled_reason END,
       failing_since = CASE WHEN @isEnabled AND NOT is_enabled THEN NULL ELSE failing_since END,
       max_per_second = @maxPerSecond, format = @format, forward_write_key = @writeKey,
       consent_category = @consentCategory, updated_at = @at WHERE id = @id`,
  );
  const deleteEndpoint = db.prepare<[string]>('DELETE FROM webhook_endpoints WHERE id = ?');
  const deleteMessagesOf = db.prepare<[string]>('DELETE FROM webhook_messages WHERE endpoint_id = ?');
  const deleteConsumer = db.prepare<[string]>('DELETE FROM change_consumers WHERE name = ?');
  const saveSecrets = db.prepare<[string, number, string]>(
    'UPDATE webhook_endpoints SET secrets = ?, updated_at = ? WHERE id = ?',
  );
  const head = db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM changes').pluck();
  const horizons = db.prepare<[], { name: string; value: number }>('SELECT name, value FROM change_horizons');
  const readChanges = db.prepare<[number, number], StoredChange & { contact_id: string | null }>(
    'SELECT seq, type, contact_id, contact_id AS contactId, at, data FROM changes WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const changesBetween = db.prepare<[number, number], StoredChange & { contact_id: string | null }>(
    'SELECT seq, type, contact_id, contact_id AS contactId, at, data FROM changes WHERE at >= ? AND at <= ? ORDER BY seq',
  );
  const eventBody = db
    .prepare<[string, string], string>('SELECT body FROM events WHERE source = ? AND message_id = ?')
    .pluck();
  const insertMessage = db.prepare(
    `INSERT INTO webhook_messages (endpoint_id, webhook_id, seq, contact_id, type, body, status, next_attempt_at, created_at)
     VALUES (@endpointId, @webhookId, @seq, @contactId, @type, @body, @status, @nextAttemptAt, @at)`,
  );
  const movePosition = db.prepare<[number, string]>('UPDATE webhook_endpoints SET position = ? WHERE id = ?');
  const saveConsumer = db.prepare<[string, number, number, number]>(
    `INSERT INTO change_consumers (name, position, is_enabled, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position, is_enabled = excluded.is_enabled,
       updated_at = excluded.updated_at`,
  );
  // The earliest pending message of each contact (and every one without a contact), due now and not
  // in flight (@leased: a JSON array of the ids in flight; leases are kept in memory).
  const selectDue = db.prepare<{ endpoint: string; now: number; limit: number; leased: string }, MessageRow>(
    `SELECT * FROM webhook_messages AS m
     WHERE m.endpoint_id = @endpoint AND m.status = 'pending' AND m.next_attempt_at <= @now
       AND m.id NOT IN (SELECT value FROM json_each(@leased))
       AND (m.contact_id IS NULL OR NOT EXISTS (
         SELECT 1 FROM webhook_messages AS e INDEXED BY webhook_messages_contact_queue
         WHERE e.endpoint_id = m.endpoint_id AND e.status = 'pending' AND e.contact_id = m.contact_id AND e.id < m.id))
     ORDER BY m.next_attempt_at, m.id LIMIT @limit`,
  );
  // Due messages in order, as long as none of the same contact before them waits for a retry; the
  // caller leaves out those in flight and the contacts' messages after them.
  const selectDueInOrder = db.prepare<{ endpoint: string; now: number; limit: number }, MessageRow>(
    `SELECT * FROM webhook_messages AS m
     WHERE m.endpoint_id = @endpoint AND m.status = 'pending' AND m.next_attempt_at <= @now
       AND (m.contact_id IS NULL OR NOT EXISTS (
         SELECT 1 FROM webhook_messages AS e INDEXED BY webhook_messages_contact_queue
         WHERE e.endpoint_id = m.endpoint_id AND e.status = 'pending' AND e.contact_id = m.contact_id AND e.id < m.id
           AND e.next_attempt_at > @now))
     ORDER BY m.id LIMIT @limit`,
  );
  const writeKey = db
    .prepare<[string], string | null>('SELECT forward_write_key FROM webhook_endpoints WHERE id = ?')
    .pluck();
  const changeAt = db.prepare<[number], StoredChange>(
    'SELECT seq, type, contact_id AS contactId, at, data FROM changes WHERE seq = ?',
  );
  const markLost = db.prepare<[string, number, number]>(
    `UPDATE webhook_messages SET status = 'failed', last_error = ?, last_attempt_at = ? WHERE id = ?`,
  );
  const oldestPendingSeq = db
    .prepare<[string], number | null>(
      "SELECT min(seq) FROM webhook_messages WHERE endpoint_id = ? AND status = 'pending'",
    )
    .pluck();
  // Through webhook_messages_due: the next retry due after now.
  const nextDue = db
    .prepare<[string, number], number | null>(
      `SELECT min(next_attempt_at) FROM webhook_messages
       WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at > ?`,
    )
    .pluck();
  const recordAttempt = db.prepare(
    `UPDATE webhook_messages SET status = @status, attempts = attempts + 1, next_attempt_at = @nextAttemptAt,
       last_status = @lastStatus, last_error = @lastError, last_snippet = @lastSnippet, last_attempt_at = @at
     WHERE id = @id AND endpoint_id = @endpointId`,
  );
  const markSuccess = db.prepare<[number, string]>(
    'UPDATE webhook_endpoints SET last_success_at = ?, failing_since = NULL WHERE id = ?',
  );
  const markFailing = db.prepare<[number, string]>(
    'UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ?) WHERE id = ?',
  );
  const disable = db.prepare<[string, number, string]>(
    'UPDATE webhook_endpoints SET is_enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?',
  );
  // A delivered message's body is not kept (a replay makes it again from the feed); the row goes
  // once it is old, a slice at a time.
  const pruneDelivered = db.prepare<[number, number]>(
    `DELETE FROM webhook_messages WHERE id IN (SELECT id FROM webhook_messages
       WHERE status = 'delivered' AND last_attempt_at < ? LIMIT ?)`,
  );
  const stopHolding = db.prepare<[number, string]>(
    'UPDATE change_consumers SET is_enabled = 0, updated_at = ? WHERE name = ?',
  );
  const selectMessages = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM webhook_messages WHERE endpoint_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
  );
  const backlog = db.prepare<[], { endpoint_id: string; position: number; pending: number; oldest: number | null }>(
    `SELECT e.id AS endpoint_id, e.position,
       (SELECT count(*) FROM webhook_messages AS m WHERE m.endpoint_id = e.id AND m.status = 'pending') AS pending,
       (SELECT min(m.created_at) FROM webhook_messages AS m WHERE m.endpoint_id = e.id AND m.status = 'pending') AS oldest
     FROM webhook_endpoints AS e`,
  );

  /**
   * Messages in flight: id → when its lease ends. In memory, not in the table: one process
   * delivers, and a process that starts has none in flight (a crash leaves every message due
   * again), so a lease written and committed per attempt bought nothing.
   */
  const leases = new Map<number, number>();

  /**
   * The due messages not in flight, up to `limit`. In order: a contact with a message in flight
   * has none taken after it (rows come by id, so that message is met first). A lease whose message
   * was erased meanwhile lapses at its end (its id, if given again, waits that long at most).
   */
  function dueRows(endpointId: string, now: number, limit: number, perContact: 'earliest' | 'inOrder'): MessageRow[] {
    for (const [id, until] of leases) if (until <= now) leases.delete(id);
    if (perContact === 'earliest') {
      return selectDue.all({ endpoint: endpointId, now, limit, leased: JSON.stringify([...leases.keys()]) });
    }
    const rows = selectDueInOrder.all({ endpoint: endpointId, now, limit: limit + leases.size });
    return inOrderDue(rows, limit, (row) => leases.has(row.id));
  }

  // The queue's own bookkeeping (what was read into it, what an attempt came to) is committed
  // without waiting for the disk: lost to a power cut, it is made again (messages sent again with
  // their webhook-id). Waiting cost a flush per half window of attempts, 40 a second while ingest
  // was saturated, each holding the one thread ingest runs on.
  const withoutWaitingForDisk = createUnflushedWriter(db);

  /** The stored event an event.stored change names (as ingest kept it); null when it is gone. */
  function storedEventOf(data: Record<string, unknown>): unknown {
    const body = storedEventBodyOf(data);
    return body === null ? null : (JSON.parse(body) as unknown);
  }

  /** …and its body as ingest kept it (JSON text). */
  function storedEventBodyOf(data: Record<string, unknown>): string | null {
    return eventBody.get(data.source as string, data.messageId as string) ?? null;
  }

  /**
   * Queues one change for an endpoint, if it subscribes to it; answers whether it did. The body
   * is made when the message is sent (takeDue), from the feed, which holds the change until then.
   */
  function queue(endpoint: EndpointRow, subscription: Subscription, change: StoredChange, now: number): boolean {
    const data = JSON.parse(change.data) as Record<string, unknown>;
    if (!isSubscribed(subscription, change.type, data)) return false;
    if (change.type === 'event.stored' && subscription.consentCategory) {
      if (!isConsented(storedEventOf(data), subscription.consentCategory)) return false;
    }
    insertMessage.run({ endpointId: endpoint.id, ...pendingMessage(endpoint.id, change, now), at: now });
    return true;
  }

  const enqueue = db.transaction((endpointId: string, limit: number, now: number): number => {
    const endpoint = selectOne.get(endpointId);
    if (!endpoint || !toEndpoint(endpoint).isEnabled) return 0;
    const subscription = subscriptionOf(endpoint);
    let position = endpoint.position;
    // What pruning removed past this position was never read: a gap, recorded, never silent.
    const pruned = Math.max(...horizons.all().map((row) => row.value));
    if (pruned > position) {
      insertMessage.run({
        ...gapMessage(endpointId, position, pruned),
        contactId: null,
        type: 'gap',
        status: 'gap',
        nextAttemptAt: null,
        at: now,
      });
      position = pruned;
    }
    const changes = readChanges.all(position, limit);
    for (const change of changes) queue(endpoint, subscription, change, now);
    position = changes.at(-1)?.seq ?? position;
    movePosition.run(position, endpointId);
    // Retention waits for what the queue has not sent yet, as for what it has not read.
    const oldestPending = oldestPendingSeq.get(endpointId);
    const held = oldestPending == null ? position : Math.min(position, oldestPending - 1);
    saveConsumer.run(`webhook:${endpointId}`, held, 1, now);
    return changes.length;
  });

  const takeDue = db.transaction(
    (
      endpointId: string,
      now: number,
      limit: number,
      leaseMs: number,
      perContact: 'earliest' | 'inOrder',
      maxBytes: number,
    ) => {
      const rows = dueRows(endpointId, now, limit, perContact);
      const due = [];
      let bytes = 0;
      for (const row of rows) {
        const change = changeAt.get(row.seq);
        if (!change) {
          // Erased since it was queued (erasure removes its messages too), or pruned past a hold.
          markLost.run(lostMessageError, now, row.id);
          continue;
        }
        const body =
          change.type === 'event.stored'
            ? payloadTextOf(change, storedEventBodyOf(JSON.parse(change.data) as Record<string, unknown>))
            : payloadTextOf(change);
        // Within the byte budget (one request's), but never none: what is left is taken next time.
        bytes += Buffer.byteLength(body);
        if (due.length > 0 && bytes > maxBytes) break;
        leases.set(row.id, now + leaseMs);
        due.push({ id: row.id, webhookId: row.webhook_id, contactId: row.contact_id, attempts: row.attempts, body });
      }
      return due;
    },
  );

  const recordAttempts = db.transaction(
    (endpointId: string, attempts: Parameters<WebhookStore['recordAttempts']>[1]) => {
      let lastSuccess: number | undefined;
      let firstFailure: number | undefined;
      for (const attempt of attempts) {
        leases.delete(attempt.messageId);
        recordAttempt.run({
          id: attempt.messageId,
          endpointId,
          status: statusAfter(attempt.outcome),
          nextAttemptAt: attempt.outcome === 'retry' ? attempt.nextAttemptAt : null,
          lastStatus: attempt.status === 0 ? null : attempt.status,
          lastError: attempt.error,
          lastSnippet: attempt.snippet,
          at: attempt.at,
        });
        if (attempt.outcome === 'delivered') lastSuccess = Math.max(lastSuccess ?? 0, attempt.at);
        else firstFailure = Math.min(firstFailure ?? Number.POSITIVE_INFINITY, attempt.at);
      }
      if (lastSuccess !== undefined) markSuccess.run(lastSuccess, endpointId);
      else if (firstFailure !== undefined) markFailing.run(firstFailure, endpointId);
    },
  );

  const create = db.transaction((row: Record<string, unknown>) => {
    insertEndpoint.run({ ...row, position: head.get() as number });
  });

  const remove = db.transaction((id: string) => {
    if (!selectOne.get(id)) return false;
    deleteMessagesOf.run(id);
    deleteEndpoint.run(id);
    deleteConsumer.run(`webhook:${id}`);
    return true;
  });

  const replay = db.transaction((endpointId: string, from: number, to: number, now: number): number => {
    const endpoint = selectOne.get(endpointId);
    if (!endpoint) return 0;
    const subscription = subscriptionOf(endpoint);
    let queued = 0;
    // Changes past the position are still to be read: they are queued by enqueue, once.
    for (const change of changesBetween.all(from, to)) {
      if (change.seq > endpoint.position) break;
      if (queue(endpoint, subscription, change, now)) queued += 1;
    }
    return queued;
  });

  return answeredAsync<WebhookStore>({
    list: () => selectAll.all().map(toEndpoint),
    get(id) {
      const row = selectOne.get(id);
      return row ? toEndpoint(row) : undefined;
    },
    create(input, now) {
      const { id, secret, secrets, fields } = newEndpoint(input);
      create({ ...fields, id, secrets, isEnabled: fields.isEnabled ? 1 : 0, at: now });
      return { endpoint: toEndpoint(selectOne.get(id) as EndpointRow), secret };
    },
    update(id, input, now) {
      const row = selectOne.get(id);
      if (!row) return undefined;
      const fields = updatedEndpoint(row, input);
      updateEndpoint.run({ ...fields, id, isEnabled: fields.isEnabled ? 1 : 0, at: now });
      if (input.isEnabled === false) stopHolding.run(now, `webhook:${id}`);
      return toEndpoint(selectOne.get(id) as EndpointRow);
    },
    remove: (id) => remove(id),
    rotateSecret(id, now, oldExpiresAt) {
      const row = selectOne.get(id);
      if (!row) return undefined;
      const rotated = rotatedSecrets(row.secrets, now, oldExpiresAt);
      saveSecrets.run(rotated.secrets, now, id);
      return rotated.secret;
    },
    secretsOf(id, now) {
      const row = selectOne.get(id);
      return row ? liveSecrets(row.secrets, now) : [];
    },
    enqueue: (endpointId, limit, now) => withoutWaitingForDisk(() => enqueue(endpointId, limit, now)),
    takeDue: (endpointId, now, limit, leaseMs, perContact = 'earliest', maxBytes = Number.POSITIVE_INFINITY) =>
      takeDue(endpointId, now, limit, leaseMs, perContact, maxBytes),
    writeKeyOf: (endpointId) => writeKey.get(endpointId) ?? null,
    releaseLeases() {
      leases.clear();
    },
    nextDueAt: (endpointId, after) => nextDue.get(endpointId, after) ?? null,
    hasDue: (endpointId, now) => dueRows(endpointId, now, 1, 'earliest').length > 0,
    recordAttempts: (endpointId, attempts) => withoutWaitingForDisk(() => recordAttempts(endpointId, attempts)),
    disable(endpointId, reason, now) {
      disable.run(reason, now, endpointId);
      stopHolding.run(now, `webhook:${endpointId}`);
    },
    pruneDelivered: (before, limit) => pruneDelivered.run(before, limit).changes,
    messages: (endpointId, before, limit) => selectMessages.all(endpointId, before, limit).map(toMessage),
    replay: (endpointId, from, to, now) => replay(endpointId, from, to, now),
    backlog() {
      const newest = head.get() as number;
      return backlog.all().map((row) => ({
        endpointId: row.endpoint_id,
        unread: newest - row.position,
        pending: row.pending,
        oldestPendingAt: row.oldest,
      }));
    },
  });
}
