import { describe, expect, it } from 'vitest';
import { ErasureNotFinal } from '../privacy/privacy-store.js';
import { at, openContactsTestApp } from './contact-test-kit.js';

async function twoContacts() {
  const t = await openContactsTestApp();
  await t.seed(
    { type: 'identify', userId: 'u1', traits: { email: 'ada@example.com' }, timestamp: at(1) },
    { type: 'identify', userId: 'u2', traits: { email: 'bo@example.com' }, timestamp: at(2) },
  );
  return t;
}

const newest = async (t: Awaited<ReturnType<typeof twoContacts>>) => (await t.store.users.audit.list({ limit: 1 }))[0];

describe('the admin API records its sensitive contact actions in the audit log', () => {
  it('records an erasure, by the admin token, with the erased id', async () => {
    const t = await twoContacts();
    const id = await t.contactIdAt(1);
    expect((await t.send('DELETE', '/v1/contacts/user_id:u1?suppress=true', undefined)).status).toBe(200);
    expect(await newest(t)).toMatchObject({
      actor: 'admin token',
      action: 'contact.erased',
      target: id,
      detail: { suppress: true },
    });
  });

  it('records an erasure that answers 503 erasure_not_final: the rows are gone all the same', async () => {
    const t = await twoContacts();
    const id = await t.contactIdAt(1);
    const { eraser } = t.store.privacy;
    const erase = eraser.erase.bind(eraser);
    // A reader holds the write-ahead log: the rows are deleted, the old pages not yet purged.
    eraser.erase = async (...args) => {
      await erase(...args);
      throw new ErasureNotFinal('older copies are still in the write-ahead log');
    };
    expect((await t.send('DELETE', '/v1/contacts/user_id:u1', undefined)).status).toBe(503);
    expect(await newest(t)).toMatchObject({
      actor: 'admin token',
      action: 'contact.erased',
      target: id,
      detail: { suppress: false, final: false },
    });
  });

  it("records a contact's export", async () => {
    const t = await twoContacts();
    expect((await t.get('/v1/contacts/user_id:u2/export')).status).toBe(200);
    expect(await newest(t)).toMatchObject({
      actor: 'admin token',
      action: 'contact.exported',
      target: await t.contactIdAt(2),
    });
  });

  it('records a merge, naming the survivor and the absorbed', async () => {
    const t = await twoContacts();
    const [survivor, absorbed] = [await t.contactIdAt(1), await t.contactIdAt(2)];
    const merged = await t.send('POST', '/v1/contacts/merge', { primary: 'user_id:u1', secondary: 'user_id:u2' });
    expect(merged.status).toBe(200);
    expect(await newest(t)).toMatchObject({
      actor: 'admin token',
      action: 'contact.merged',
      target: survivor,
      detail: { absorbed },
    });
  });

  it('records a CSV export with its filters, and not one refused for a bad filter', async () => {
    const t = await twoContacts();
    expect((await t.get('/v1/contacts/export.csv?filters=nope')).status).toBe(400);
    expect(await newest(t)).toBeUndefined();
    const filters = JSON.stringify([{ field: 'email', op: 'startsWith', value: 'ada' }]);
    const answer = await t.get(`/v1/contacts/export.csv?filters=${encodeURIComponent(filters)}`);
    expect(answer.status).toBe(200);
    await answer.text();
    expect(await newest(t)).toMatchObject({
      actor: 'admin token',
      action: 'contacts.exported',
      target: null,
      detail: { filters: [{ field: 'email', op: 'startsWith', value: 'ada' }] },
    });
  });
});
