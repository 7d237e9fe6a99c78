import { describe, expect, it } from 'vitest';
import { at, openContactsTestApp } from './contact-test-kit.js';

type Contact = Record<string, unknown> & {
  id: string;
  identities: { type: string; value: string }[];
  merges: { absorbedId: string; messageId: string }[];
};

async function twoPeople() {
  const t = await openContactsTestApp();
  await t.seed(
    { type: 'identify', userId: 'u1', traits: { email: 'ada@example.com', plan: 'pro' }, timestamp: at(1) },
    { type: 'track', userId: 'u1', event: 'Paid', timestamp: at(2) },
    {
      type: 'identify',
      userId: 'u2',
      traits: { email: 'ada@old.example', plan: 'free', city: 'Paris' },
      timestamp: at(3),
    },
  );
  await t.send('PATCH', '/v1/contacts/user_id:u1', { tags: ['vip'] });
  await t.send('PATCH', '/v1/contacts/user_id:u2', { lifecycleStage: 'customer', owner: 'sam', tags: ['beta', 'vip'] });
  await t.send('POST', '/v1/contacts/user_id:u2/notes', { body: 'met at the conference' });
  return t;
}

describe('POST /v1/contacts/merge', () => {
  it('merges the secondary into the primary and records it, answering the merged contact', async () => {
    const t = await twoPeople();
    const response = await t.send('POST', '/v1/contacts/merge', {
      primary: 'user_id:u1',
      secondary: 'email:ada@old.example',
    });
    expect(response.status).toBe(200);
    const merged = (await response.json()) as Contact;
    expect(merged).toMatchObject({
      id: await t.contactIdAt(1),
      eventCount: 3,
      lifecycleStage: 'customer',
      owner: 'sam',
      tags: ['vip', 'beta'],
      // Newest wins across both: plan and email came later on u2, city only there.
      traits: { plan: 'free', city: 'Paris', email: 'ada@old.example' },
    });
    expect(merged.identities.map((identity) => `${identity.type}:${identity.value}`).sort()).toEqual([
      'email:ada@example.com',
      'email:ada@old.example',
      'user_id:u1',
      'user_id:u2',
    ]);
    expect(merged.merges).toEqual([
      { absorbedId: await t.contactIdAt(2), messageId: expect.stringMatching(/^manual:/), at: expect.any(String) },
    ]);
    // The secondary's id answers the survivor; its notes and events came along.
    expect(await t.getJson(`/v1/contacts/${await t.contactIdAt(2)}`)).toMatchObject({
      id: await t.contactIdAt(1),
      mergedFrom: await t.contactIdAt(2),
    });
    const notes = await t.getJson<{ data: { body: string }[] }>(`/v1/contacts/${await t.contactIdAt(1)}/notes`);
    expect(notes.data.map((note) => note.body)).toEqual(['met at the conference']);
    const timeline = await t.getJson<{ data: unknown[] }>(`/v1/contacts/${await t.contactIdAt(1)}/events`);
    expect(timeline.data).toHaveLength(3);
    expect((await t.getJson<{ data: unknown[] }>('/v1/contacts')).data).toHaveLength(1);
    // A later event for either person lands on the one contact.
    await t.seed({ type: 'track', userId: 'u2', event: 'Came back', timestamp: at(10) });
    expect(await t.getJson(`/v1/contacts/${await t.contactIdAt(1)}`)).toMatchObject({ eventCount: 4 });
  });

  it('refuses a contact merged with itself, naming secondary', async () => {
    const t = await twoPeople();
    const response = await t.send('POST', '/v1/contacts/merge', {
      primary: await t.contactIdAt(1),
      secondary: 'user_id:u1',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_request', message: expect.stringMatching(/^secondary: names the same contact/) },
    });
  });

  it('answers 404 naming the field whose contact does not exist', async () => {
    const t = await twoPeople();
    const missingSecondary = await t.send('POST', '/v1/contacts/merge', {
      primary: await t.contactIdAt(1),
      secondary: 'user_id:nobody',
    });
    expect(missingSecondary.status).toBe(404);
    expect(await missingSecondary.json()).toMatchObject({
      error: { code: 'contact_not_found', message: 'secondary: no contact matches user_id:nobody' },
    });
    const missingPrimary = await t.send('POST', '/v1/contacts/merge', {
      primary: 'ct_000000000000000000000099',
      secondary: await t.contactIdAt(1),
    });
    expect(missingPrimary.status).toBe(404);
    expect(await missingPrimary.json()).toMatchObject({
      error: { message: 'primary: no contact matches ct_000000000000000000000099' },
    });
  });

  it('answers 400 for a bad body, naming the field', async () => {
    const t = await twoPeople();
    for (const [body, field] of [
      [{ primary: await t.contactIdAt(1) }, 'secondary'],
      [{ primary: 1, secondary: await t.contactIdAt(2) }, 'primary'],
      [{ primary: await t.contactIdAt(1), secondary: await t.contactIdAt(2), extra: true }, 'extra'],
      [{ primary: await t.contactIdAt(1), secondary: 'not a ref' }, 'secondary'],
    ] as const) {
      const response = await t.send('POST', '/v1/contacts/merge', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const { error } = (await response.json()) as { error: { message: string } };
      expect(error.message).toContain(field);
    }
    expect(await t.getJson(`/v1/contacts/${await t.contactIdAt(2)}`)).toMatchObject({ id: await t.contactIdAt(2) });
  });

  it('needs the admin token', async () => {
    const t = await twoPeople();
    expect(
      (
        await t.send(
          'POST',
          '/v1/contacts/merge',
          { primary: await t.contactIdAt(1), secondary: await t.contactIdAt(2) },
          null,
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await t.send(
          'POST',
          '/v1/contacts/merge',
          { primary: await t.contactIdAt(1), secondary: await t.contactIdAt(2) },
          t.writeKey,
        )
      ).status,
    ).toBe(401);
    expect(await t.getJson(`/v1/contacts/${await t.contactIdAt(2)}`)).toMatchObject({ id: await t.contactIdAt(2) });
  });
});
