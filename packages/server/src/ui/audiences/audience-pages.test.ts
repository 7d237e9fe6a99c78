import { describe, expect, it } from 'vitest';
import { openUiTestApp, visibleText } from '../ui-test-kit.js';

const proRule = { trait: 'plan', op: 'eq', value: 'pro' };

async function seeded(options: { onAudienceDefinitionChanged?: () => void } = {}) {
  const harness = await openUiTestApp(options);
  const identify = (userId: string, plan: string) => ({
    type: 'identify',
    userId,
    traits: { email: `${userId}@example.com`, name: userId === 'ada' ? '<img src=x onerror=alert(1)>' : userId, plan },
  });
  const sent = await harness.post('/v1/batch', {
    batch: [identify('ada', 'pro'), identify('bob', 'pro'), identify('cyd', 'free')],
  });
  expect(sent.status).toBe(200);
  const audience = await harness.store.audiences.create({ name: 'Pro plan', rule: proRule });
  while (await harness.store.audiences.backfillStep(1_000)) {}
  return { harness, audience };
}

describe('audience pages', () => {
  it('lists audiences with their member counts', async () => {
    const { harness, audience } = await seeded();
    await harness.store.audiences.create({ name: 'Free plan', rule: { trait: 'plan', op: 'eq', value: 'free' } });
    while (await harness.store.audiences.backfillStep(1_000)) {}
    const client = await harness.loginAs('viewer');
    const text = visibleText(await (await client.get('/ui/audiences')).text());
    expect(text).toMatch(/Pro plan 2 Ready/);
    expect(text).toMatch(/Free plan 1 Ready/);
    expect(text).not.toContain('New audience');
    expect(await (await client.get('/ui/audiences')).text()).toContain(`href="/ui/audiences/${audience.id}"`);
  });

  it('shows a viewer the rule read-only and the members, escaped, in the live region', async () => {
    const { harness, audience } = await seeded();
    const client = await harness.loginAs('viewer');
    const html = await (await client.get(`/ui/audiences/${audience.id}`)).text();
    expect(html).toContain(`id="audience-live" data-live="/ui/live/audiences/${audience.id}"`);
    expect(html).not.toContain('<textarea');
    expect(html).toContain('<pre>{\n  &quot;trait&quot;: &quot;plan&quot;');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const bob = await harness.store.contacts.queries.profileByIdentifier('user_id', 'bob');
    expect(html).toContain(`href="/ui/contacts/${bob?.public_id}"`);
    expect(visibleText(html)).toContain('2026-03-01 12:00 UTC');
  });

  it('answers the preview with a count, or the error naming what is wrong', async () => {
    const { harness } = await seeded();
    const client = await harness.loginAs('member');
    const ask = async (rule: string) => {
      const answer = await harness.app.request('/ui/audiences/preview', {
        method: 'POST',
        headers: {
          Cookie: client.cookie,
          Origin: 'https://weft.example.com',
          'Content-Type': 'application/json',
          'X-CSRF-Token': client.csrfToken,
        },
        body: JSON.stringify({ rule }),
      });
      return { status: answer.status, ...((await answer.json()) as { message: string }) };
    };
    expect(await ask(JSON.stringify(proRule))).toEqual({ status: 200, message: '2 contacts match now' });
    expect(await ask('{"trait": "plan", "op": "eq"}')).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^rule\.value: /),
    });
    expect(await ask('{"trait": ')).toMatchObject({ status: 400, message: expect.stringMatching(/^rule: not JSON/) });
    const viewer = await harness.loginAs('viewer');
    const refused = await harness.app.request('/ui/audiences/preview', {
      method: 'POST',
      headers: {
        Cookie: viewer.cookie,
        Origin: 'https://weft.example.com',
        'Content-Type': 'application/json',
        'X-CSRF-Token': viewer.csrfToken,
      },
      body: JSON.stringify({ rule: '{}' }),
    });
    expect(refused.status).toBe(403);
  });

  it('saves an edited rule for a member, tells the backfill, and keeps the text of a refused one', async () => {
    let told = 0;
    const { harness, audience } = await seeded({ onAudienceDefinitionChanged: () => told++ });
    const client = await harness.loginAs('member');
    const bad = await client.post(`/ui/audiences/${audience.id}`, {
      name: 'Pro plan',
      rule: '{"trait": "plan", "op": "nope", "value": 1}',
    });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(visibleText(badHtml)).toMatch(/rule\.op: /);
    expect(badHtml).toContain('{&quot;trait&quot;: &quot;plan&quot;, &quot;op&quot;: &quot;nope&quot;');
    expect(told).toBe(0);
    const freeRule = JSON.stringify({ trait: 'plan', op: 'eq', value: 'free' });
    const saved = await client.post(`/ui/audiences/${audience.id}`, { name: 'Free plan', rule: freeRule });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe(`/ui/audiences/${audience.id}?done=audience_saved`);
    expect(told).toBe(1);
    expect(await harness.store.audiences.get(audience.id)).toMatchObject({
      name: 'Free plan',
      rule: JSON.parse(freeRule),
    });
  });

  it('refuses a viewer’s save with 403 and leaves the rule as it was', async () => {
    const { harness, audience } = await seeded();
    const client = await harness.loginAs('viewer');
    const answer = await client.post(`/ui/audiences/${audience.id}`, {
      name: 'Hijacked',
      rule: '{"trait": "plan", "op": "exists"}',
    });
    expect(answer.status).toBe(403);
    expect(await harness.store.audiences.get(audience.id)).toMatchObject({ name: 'Pro plan', rule: proRule });
    expect((await client.get('/ui/audiences/new')).status).toBe(403);
  });

  it('creates an audience from the new-audience form', async () => {
    const { harness } = await seeded();
    const client = await harness.loginAs('member');
    expect(await (await client.get('/ui/audiences/new')).text()).toContain('data-preview="/ui/audiences/preview"');
    const missingName = await client.post('/ui/audiences', { name: ' ', rule: JSON.stringify(proRule) });
    expect(missingName.status).toBe(400);
    expect(visibleText(await missingName.text())).toMatch(/name: /);
    const created = await client.post('/ui/audiences', { name: 'Pros again', rule: JSON.stringify(proRule) });
    expect(created.status).toBe(303);
    const all = await harness.store.audiences.list();
    const made = all.find((audience) => audience.name === 'Pros again');
    expect(created.headers.get('Location')).toBe(`/ui/audiences/${made?.id}?done=audience_created`);
  });
});
