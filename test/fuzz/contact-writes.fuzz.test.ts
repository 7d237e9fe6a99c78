import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EngineContactsTestApp,
  openContactsTestApp,
} from '../../packages/server/src/contacts/contact-test-kit.js';
import { testEngine } from '../../packages/server/src/testing/test-app.js';
import { nastyString } from './adversarial-values.js';
import { prototypePollution } from './clear-answer.js';
import { contactRef, encodePathSegment, knownRefs, listQuery, writeBody } from './contact-requests.js';
import { expectClear, seedContacts } from './contacts-fuzz-kit.js';
import { createCaseTally, fuzzParameters, fuzzTimeoutMs } from './fuzz-settings.js';
import { checkSqliteIndexes } from './sqlite-index-checks.js';

let t: EngineContactsTestApp;
const tally = createCaseTally();

beforeAll(async () => {
  // One app for the file, on the engine the matrix names.
  t = await openContactsTestApp({}, { closedBy: 'caller' });
  await seedContacts(t);
});

afterAll(async () => {
  console.log(tally.report('contacts write fuzz'));
  await t?.close();
});

describe('the contacts write API, search bodies, companies and auth under adversarial requests', () => {
  it(
    'answers any search text, content type and encoding with a clear answer',
    async () => {
      const contentTypes = [
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        '',
        'application/json; charset=latin1',
      ];
      const text = fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
        nastyString,
        fc.constantFrom(
          '{"filters":[',
          '{"filters":[{"field":"email","op":"eq","value":1e400}]}',
          '{"limit":1e400}',
          '{"__proto__":{"limit":1}}',
          '{"filters":[{"__proto__":{"field":"email"}}]}',
        ),
      );
      await fc.assert(
        fc.asyncProperty(text, fc.constantFrom(...contentTypes), async (body, contentType) => {
          tally.count('POST search, raw');
          const response = await t.app.request('/v1/contacts/search', {
            method: 'POST',
            headers: { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': contentType },
            body,
          });
          await expectClear(
            response,
            `search ${contentType} ${JSON.stringify(body).slice(0, 300)}`,
            [200, 400, 413, 415],
          );
        }),
        fuzzParameters(200),
      );
    },
    fuzzTimeoutMs(200),
  );

  it(
    'answers edits, new contacts and notes with any body with a clear answer',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('PATCH ref', 'POST contacts', 'POST notes'),
          fc.oneof(contactRef, fc.constantFrom(...knownRefs)),
          writeBody,
          async (kind, ref, body) => {
            tally.count('writes');
            const encoded = encodePathSegment(ref);
            const [method, path] =
              kind === 'PATCH ref'
                ? ['PATCH', `/v1/contacts/${encoded}`]
                : kind === 'POST contacts'
                  ? ['POST', '/v1/contacts']
                  : ['POST', `/v1/contacts/${encoded}/notes`];
            const text = JSON.stringify(body) ?? 'null';
            await expectClear(
              t.send(method, path, text),
              `${method} ${path} ${text.slice(0, 300)}`,
              [200, 201, 400, 404, 409],
            );
          },
        ),
        fuzzParameters(300),
      );
    },
    fuzzTimeoutMs(300),
  );

  it(
    'answers the companies API with any groupId and query with a clear answer',
    async () => {
      const groupId = fc.oneof(
        fc.constantFrom('acme', 'navy', 'nope'),
        nastyString.filter((text) => text !== ''),
      );
      await fc.assert(
        fc.asyncProperty(fc.option(groupId, { nil: undefined }), listQuery, async (id, query) => {
          tally.count('companies');
          const path = id === undefined ? `/v1/companies?${query}` : `/v1/companies/${encodePathSegment(id)}?${query}`;
          await expectClear(t.get(path), `GET ${path}`, [200, 400, 404]);
        }),
        fuzzParameters(200),
      );
    },
    fuzzTimeoutMs(200),
  );

  it(
    'refuses any other Authorization with a 401',
    async () => {
      const header = fc.oneof(
        fc.constantFrom(
          '',
          'Bearer',
          'Bearer ',
          'bearer x',
          `Basic ${t.adminToken}`,
          `Bearer ${t.adminToken}x`,
          `Bearer ${t.writeKey}`,
        ),
        fc
          .string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 })
          .map((s) => `Bearer ${s}`),
      );
      await fc.assert(
        fc.asyncProperty(
          header,
          fc.constantFrom('/v1/contacts', '/v1/contacts/1', '/v1/companies'),
          async (auth, path) => {
            tally.count('auth');
            const response = await t.app.request(path, { headers: auth === '' ? {} : { Authorization: auth } });
            const answer = await expectClear(response, `GET ${path} with ${JSON.stringify(auth)}`, [401]);
            expect(answer.status).toBe(401);
          },
        ),
        fuzzParameters(100),
      );
    },
    fuzzTimeoutMs(100),
  );

  it('keeps seeded contacts readable after the writes, with nothing reaching a prototype', async () => {
    tally.count('after writes');
    for (const ref of knownRefs) await expectClear(t.get(`/v1/contacts/${encodePathSegment(ref)}`), ref, [200]);
    expect(prototypePollution()).toEqual([]);
  });
});

describe('the database after contacts write fuzz', () => {
  it.runIf(testEngine === 'sqlite')('passes an integrity check', () => {
    expect(t.sqlite?.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  checkSqliteIndexes(() => t);
});
