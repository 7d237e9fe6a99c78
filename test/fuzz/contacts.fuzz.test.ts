import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactSorts } from '../../packages/server/src/contacts/contact-schemas.js';
import {
  type EngineContactsTestApp,
  openContactsTestApp,
} from '../../packages/server/src/contacts/contact-test-kit.js';
import { testEngine } from '../../packages/server/src/testing/test-app.js';
import { encodePathSegment, knownRefs, listQuery, refInPath, searchBody } from './contact-requests.js';
import { expectClear, seedContacts } from './contacts-fuzz-kit.js';
import { createCaseTally, fuzzParameters, fuzzTimeoutMs } from './fuzz-settings.js';

let t: EngineContactsTestApp;
const tally = createCaseTally();

beforeAll(async () => {
  // One app for the file, on the engine the matrix names.
  t = await openContactsTestApp({}, { closedBy: 'caller' });
  await seedContacts(t);
});

afterAll(async () => {
  console.log(tally.report('contacts read fuzz'));
  await t?.close();
});

describe('the contacts read API under adversarial requests', () => {
  it(
    'answers any ref, on a contact, its events or its notes, with 200, a 404 or a 400 naming the ref',
    async () => {
      await fc.assert(
        fc.asyncProperty(refInPath, fc.constantFrom('', '/events', '/notes'), listQuery, async (ref, tail, query) => {
          tally.count('GET by ref');
          const path = `/v1/contacts/${ref}${tail}?${query}`;
          await expectClear(t.get(path), `GET ${path}`, [200, 400, 404]);
        }),
        fuzzParameters(300),
      );
    },
    fuzzTimeoutMs(300),
  );

  it(
    'pages through a list or a search with any sort and page size without skipping or repeating a contact',
    async () => {
      const sorts = contactSorts;
      const filters = fc.constantFrom(
        [],
        [{ field: 'traits.plan', op: 'eq', value: 'free' }],
        [{ field: 'email', op: 'exists' }],
        [{ field: 'email', op: 'notExists' }],
        [{ field: 'email', op: 'startsWith', value: 'p1' }],
        [{ field: 'eventCount', op: 'gte', value: 1 }],
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...sorts),
          fc.integer({ min: 1, max: 5 }),
          fc.option(filters, { nil: undefined }),
          async (sort, limit, filter) => {
            tally.count('paging');
            const page = async (size: number, cursor?: string) => {
              const response =
                filter === undefined
                  ? t.get(
                      `/v1/contacts?${new URLSearchParams({ sort, limit: String(size), ...(cursor ? { cursor } : {}) })}`,
                    )
                  : t.send('POST', '/v1/contacts/search', { filters: filter, sort, limit: size, cursor });
              const { body } = await expectClear(response, `page of ${sort} ${JSON.stringify(filter)}`, [200]);
              return body as { data: { id: string }[]; nextCursor: string | null };
            };
            const all = (await page(500)).data.map((contact) => contact.id);
            const walked: string[] = [];
            let cursor: string | undefined;
            for (let turn = 0; turn <= all.length; turn++) {
              const next = await page(limit, cursor);
              walked.push(...next.data.map((contact) => contact.id));
              if (next.nextCursor === null) break;
              cursor = next.nextCursor;
            }
            expect(walked).toEqual(all);
          },
        ),
        fuzzParameters(60),
      );
    },
    fuzzTimeoutMs(60),
  );

  it(
    'finds every seeded contact by each of its refs',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...knownRefs), async (ref) => {
          tally.count('GET known ref');
          const { body } = await expectClear(t.get(`/v1/contacts/${encodePathSegment(ref)}`), `GET ${ref}`, [200]);
          expect(typeof body.id).toBe('string');
        }),
        fuzzParameters(20),
      );
    },
    fuzzTimeoutMs(20),
  );

  it(
    'answers a list with any query parameters with 200 or a 400 naming the parameter',
    async () => {
      await fc.assert(
        fc.asyncProperty(listQuery, async (query) => {
          tally.count('GET list');
          const { status, body } = await expectClear(
            t.get(`/v1/contacts?${query}`),
            `GET /v1/contacts?${query}`,
            [200, 400],
          );
          if (status === 200) {
            expect(Array.isArray(body.data)).toBe(true);
            expect(body.nextCursor === null || typeof body.nextCursor === 'string').toBe(true);
          }
        }),
        fuzzParameters(300),
      );
    },
    fuzzTimeoutMs(300),
  );

  it(
    'answers any search body with 200 or a 400 naming the field',
    async () => {
      await fc.assert(
        fc.asyncProperty(searchBody, async (body) => {
          tally.count('POST search');
          const text = JSON.stringify(body) ?? 'null';
          const answer = await expectClear(
            t.send('POST', '/v1/contacts/search', text),
            `search ${text.slice(0, 400)}`,
            [200, 400],
          );
          if (answer.status === 200) {
            expect(Array.isArray(answer.body.data)).toBe(true);
            expect(Number.isSafeInteger((answer.body.total as { value: number }).value)).toBe(true);
          }
        }),
        fuzzParameters(400),
      );
    },
    fuzzTimeoutMs(400),
  );
});

describe('the database after contacts read fuzz', () => {
  it.runIf(testEngine === 'sqlite')('passes an integrity check', () => {
    expect(t.sqlite?.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
