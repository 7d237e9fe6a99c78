import { describe, expect, it } from 'vitest';
import { openContactsTestApp } from '../contacts/contact-test-kit.js';

describe('U+0000 (NUL) in API requests', () => {
  it('is refused on every engine, naming the field, and nothing is written', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1', traits: { plan: 'free' } });
    const id = await t.contactIdAt(1);
    // JSON text with the escape itself, as a client would send it.
    for (const [method, path, body, field] of [
      ['POST', `/v1/contacts/${id}/notes`, '{"body":"a\\u0000b"}', 'body'],
      ['PATCH', `/v1/contacts/${id}`, '{"owner":"o\\u0000"}', 'owner'],
      ['PATCH', `/v1/contacts/${id}`, '{"tags":["ok","t\\u0000"]}', 'tags.1'],
      ['POST', '/v1/contacts', '{"userId":"n\\u0000"}', 'userId'],
      ['POST', '/v1/audiences', '{"name":"A\\u0000","rule":{"trait":"plan","op":"exists"}}', 'name'],
      ['POST', '/v1/publishable-keys', '{"name":"k\\u0000","origins":["https://shop.example"]}', 'name'],
    ] as const) {
      const response = await t.send(method, path, body);
      expect(response.status, `${method} ${path} ${body}`).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error, `${method} ${path} ${body}`).toEqual({
        code: 'invalid_request',
        message: `${field}: contains U+0000 (NUL), which cannot be stored`,
      });
    }
    for (const path of ['/v1/contacts/user_id:u%00', '/v1/contacts?q=a%00b']) {
      const response = await t.get(path);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message, path).toContain(
        'contains U+0000 (NUL)',
      );
    }
    expect(await t.getJson(`/v1/contacts/${id}`)).toMatchObject({ owner: null, tags: [], traits: { plan: 'free' } });
    expect((await t.getJson<{ data: unknown[] }>(`/v1/contacts/${id}/notes`)).data).toEqual([]);
    expect((await t.getJson<{ data: unknown[] }>('/v1/audiences')).data).toEqual([]);
    expect((await t.getJson<{ data: unknown[] }>('/v1/contacts')).data).toHaveLength(1);
  });

  it('in traits is replaced by U+FFFD, as ingest replaces it in an identify', async () => {
    const t = await openContactsTestApp();
    await t.seed({ type: 'identify', userId: 'u1', traits: { plan: 'free' } });
    const response = await t.send('PATCH', '/v1/contacts/user_id:u1', '{"traits":{"plan":"p\\u0000","k\\u0000":"x"}}');
    expect(response.status).toBe(200);
    expect(await t.getJson('/v1/contacts/user_id:u1')).toMatchObject({ traits: { plan: 'p\ufffd', 'k\ufffd': 'x' } });
  });
});
