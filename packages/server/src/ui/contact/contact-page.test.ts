import { describe, expect, it } from 'vitest';
import { testStart } from '../../testing/test-app.js';
import { openUiTestApp, visibleText } from '../ui-test-kit.js';
import { contactIdOf, sendBatch, withAda } from './contact-page-test-kit.js';

/** The <li> items of a list the page holds by id. */
function itemsOf(html: string, listId: string): string[] {
  const list = new RegExp(`<ol[^>]*id="${listId}"[^>]*>([\\s\\S]*?)</ol>`).exec(html)?.[1] ?? '';
  return list.split('<li').slice(1);
}

describe('the contact page', () => {
  it('shows identities, traits with where each came from, companies, audiences and the timeline', async () => {
    const harness = await openUiTestApp();
    const audience = await harness.store.audiences.create({
      name: 'Pro plan',
      rule: { trait: 'plan', op: 'eq', value: 'pro' },
    });
    await harness.store.computedTraits.create({
      name: 'signups',
      calculation: { event: 'Signed Up', aggregate: 'count' },
    });
    const id = await withAda(harness);
    await sendBatch(harness, [{ type: 'group', userId: 'ada', groupId: 'acme', traits: { name: 'Acme Inc' } }]);
    const member = await harness.loginAs('member');
    await member.post(`/ui/contacts/${id}/edit`, { part: 'trait', traitName: 'tier', traitValue: 'gold' });
    const answer = await (await harness.loginAs('viewer')).get(`/ui/contacts/${id}`);
    expect(answer.status).toBe(200);
    const html = await answer.text();
    const text = visibleText(html);
    expect(html).toContain('<h1>Ada Lovelace</h1>');
    expect(text).toContain('user_id ada');
    expect(text).toContain('email ada@example.com');
    expect(text).toContain('plan pro from events');
    expect(text).toContain('tier gold edited by a person');
    expect(text).toContain('signups 1 computed');
    expect(html).toContain('href="/ui/companies/acme"');
    expect(html).toContain(`href="/ui/audiences/${audience.id}"`);
    expect(text).toContain('Pro plan');
    expect(itemsOf(html, 'timeline-items').map((item) => visibleText(`<li${item}`))).toEqual([
      expect.stringContaining('In company acme'),
      expect.stringContaining('Signed Up'),
      expect.stringContaining('Identified: email, name, plan'),
    ]);
    expect(html).toContain(`data-live="/ui/live/contacts/${id}"`);
    expect(html).toMatch(/<div id="contact-live"/);
  });

  it('shows a trait value and a note holding markup as text, never as markup', async () => {
    const harness = await openUiTestApp();
    await sendBatch(harness, [{ type: 'identify', userId: 'eve', traits: { bio: '<script>alert(1)</script>' } }]);
    const id = await contactIdOf(harness, 'eve');
    const member = await harness.loginAs('member');
    expect((await member.post(`/ui/contacts/${id}/notes`, { body: '<img src=x onerror=alert(2)>' })).status).toBe(303);
    const html = await (await member.get(`/ui/contacts/${id}`)).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('pages the timeline: 50 events, then the older ones through the Older link', async () => {
    const harness = await openUiTestApp();
    const batch = Array.from({ length: 55 }, (_, i) => ({
      type: 'track',
      userId: 'ada',
      event: `Step ${i}`,
      timestamp: new Date(testStart - (55 - i) * 1000).toISOString(),
    }));
    await sendBatch(harness, batch);
    const id = await contactIdOf(harness, 'ada');
    const viewer = await harness.loginAs('viewer');
    const first = await (await viewer.get(`/ui/contacts/${id}`)).text();
    const firstItems = itemsOf(first, 'timeline-items');
    expect(firstItems).toHaveLength(50);
    expect(firstItems[0]).toContain('Step 54');
    const older = /<a data-more="timeline-items" href="([^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(older).toMatch(new RegExp(`^/ui/contacts/${id}\\?before=`));
    const second = await (await viewer.get(older ?? '')).text();
    expect(itemsOf(second, 'timeline-items').map((item) => /Step \d+/.exec(item)?.[0])).toEqual([
      'Step 4',
      'Step 3',
      'Step 2',
      'Step 1',
      'Step 0',
    ]);
    expect(second).not.toContain('data-more="timeline-items"');
  });

  it('sends a merged-away id to the contact it merged into, and answers 404 for no contact', async () => {
    const harness = await openUiTestApp();
    await sendBatch(harness, [
      { type: 'identify', userId: 'ada' },
      { type: 'identify', userId: 'bea' },
    ]);
    const [ada, bea] = [await contactIdOf(harness, 'ada'), await contactIdOf(harness, 'bea')];
    const member = await harness.loginAs('member');
    expect((await member.post(`/ui/contacts/${ada}/merge`, { other: bea })).status).toBe(303);
    const answer = await member.get(`/ui/contacts/${bea}`);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('Location')).toBe(`/ui/contacts/${ada}`);
    expect((await member.get('/ui/contacts/ct_000000000000000000000000')).status).toBe(404);
    expect((await member.get('/ui/contacts/ct_not-an-id')).status).toBe(404);
    expect((await member.get('/ui/contacts/export.csv')).status).toBe(200);
  });
});
