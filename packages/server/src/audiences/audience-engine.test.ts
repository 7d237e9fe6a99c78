import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_RULES } from '../identity/identity-rules.js';
import { createIdentityStep } from '../identity/identity-step.js';
import { createIdentityCounters } from '../identity/resolve-identity.js';
import { createIngestPipeline, type IngestStep } from '../ingest/pipeline.js';
import { openDatabase } from '../storage/sqlite/open-database.js';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.js';
import { contractStart, newEvents } from '../storage/store-harness.contract.js';

describe('the audience engine on ingest', () => {
  it('forgets what a failed event left behind: the next event does not evaluate it', async () => {
    const db = openDatabase(':memory:');
    const clock = { time: contractStart };
    // Identity runs (and records contact.created), then this step fails the event: the whole
    // transaction rolls back, the profile it made included.
    const failing: IngestStep = {
      name: 'fails on boom',
      apply(event) {
        if (event.messageId === 'boom') throw new Error('disk full');
        return {};
      },
    };
    const rules = DEFAULT_IDENTITY_RULES;
    const pipeline = createIngestPipeline({
      gates: [],
      steps: [createIdentityStep(rules, createIdentityCounters()), failing],
    });
    const store = createSqliteStore(db, { pipeline, rules, now: () => clock.time });
    const harness = {
      store,
      clock,
      close: async () => {
        db.close();
      },
    };
    const pro = await store.audiences.create({ name: 'pro', rule: { trait: 'plan', op: 'eq', value: 'pro' } });
    while (await store.audiences.backfillStep(100)) {}

    const identify = (userId: string, plan: string, messageId: string) =>
      store.events.insertEvents(newEvents(harness, [{ type: 'identify', userId, traits: { plan }, messageId }]));
    await expect(identify('ann', 'pro', 'boom')).rejects.toThrow('disk full');
    // The next person gets the rolled-back profile's id: nothing of ann's may be evaluated for her.
    await identify('bo', 'free', 'm2');
    expect(await store.audiences.members(pro.id, 0, 10)).toEqual([]);
    await harness.close();
  });
});
