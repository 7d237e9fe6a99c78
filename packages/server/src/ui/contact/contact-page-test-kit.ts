// People for the contact page's tests, sent through the real ingest API. Not part of the build.
import { expect } from 'vitest';
import type { UiTestApp } from '../ui-test-kit.js';

/** Sends the events, answered 200, as one batch. */
export async function sendBatch(harness: UiTestApp, batch: readonly Record<string, unknown>[]): Promise<void> {
  expect((await harness.post('/v1/batch', { batch })).status).toBe(200);
}

/** The contact id (ct_…) of the contact holding a userId. */
export async function contactIdOf(harness: UiTestApp, userId: string): Promise<string> {
  const row = await harness.store.contacts.queries.profileByIdentifier('user_id', userId);
  if (!row) throw new Error(`no contact holds user_id ${userId}`);
  return row.public_id;
}

/** The current traits of the contact holding a userId, as stored. */
export async function traitsOf(harness: UiTestApp, userId: string): Promise<Record<string, unknown>> {
  const row = await harness.store.contacts.queries.profileByIdentifier('user_id', userId);
  return JSON.parse(row?.traits ?? '{}') as Record<string, unknown>;
}

/** One identified person, Ada, with an email, a plan and one tracked event. */
export async function withAda(harness: UiTestApp): Promise<string> {
  await sendBatch(harness, [
    { type: 'identify', userId: 'ada', traits: { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' } },
    { type: 'track', userId: 'ada', event: 'Signed Up', properties: { source: 'ad' } },
  ]);
  return contactIdOf(harness, 'ada');
}
