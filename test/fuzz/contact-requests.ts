import fc from 'fast-check';
import { contactSorts } from '../../packages/server/src/contacts/contact-schemas.js';
import { filterOps, filterFields as knownFilterFields } from '../../packages/server/src/contacts/search-filter-spec.js';
import { injectionStrings, nastyJson, nastyNumber, nastyString } from './adversarial-values.js';

/** Generators for requests to the contacts and companies API: refs, query strings, bodies. */

const identifierTypes = ['user_id', 'userId', 'email', 'EMAIL', ' email ', 'anonymous_id', 'anonymousId', 'phone', ''];

/**
 * Percent-encodes a path segment as a client's URL library would: a lone surrogate, which no URL can
 * carry, becomes U+FFFD first (encodeURIComponent throws on it).
 */
export function encodePathSegment(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udfff]/gu, '\ufffd'));
}

// Contact ids are random (ct_…), so the seeded contacts are named by their identifiers here.
export const knownRefs = [
  'user_id:u1',
  'userId:u2',
  'user_id:u3',
  'anonymous_id:anon-3',
  'email:ADA@example.com',
  'email: grace@navy.mil ',
];

export const contactRef: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...knownRefs),
  fc.constantFrom('0', '1', '-1', '00', '1.5', '1e3', '9007199254740993', '99999999999999999999999', ' 1', '0x10'),
  fc.constantFrom(
    'ct_000000000000000000000000',
    'CT_0123456789ABCDEF0123',
    'ct_0123',
    'ct_',
    'ct_0123456789abcdef012345678',
  ),
  fc
    .tuple(fc.oneof(fc.constantFrom(...identifierTypes), nastyString), nastyString)
    .map(([type, value]) => `${type}:${value}`),
  nastyString,
  fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
);

/** A ref as it appears in a path: percent-encoded, or raw with its slashes, dots and broken escapes. */
export const refInPath: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: contactRef.map(encodePathSegment) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '%',
      '%zz',
      '%E0%A4%A',
      '%ED%A0%80',
      '%C0%AF',
      '..',
      '.',
      '%2F',
      'a%00b',
      'user_id:%25',
      '%FF',
    ),
  },
);

/** Text for a query parameter, including numbers written every way and strings of any kind. */
const queryText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '1',
    '-1',
    '50',
    '500',
    '501',
    '1e2',
    '1.5',
    'NaN',
    'Infinity',
    ' 7 ',
    '0x10',
    '1_0',
    'null',
  ),
  nastyString,
  nastyNumber.map(String),
);

const sorts = contactSorts;

/** A cursor as a client might forge it: base64url of any JSON, or any text. */
export const cursorText: fc.Arbitrary<string> = fc.oneof(
  nastyJson.map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')),
  fc
    .record({
      v: fc.oneof(fc.constant(1), nastyJson),
      s: fc.oneof(fc.constantFrom(...sorts), nastyString),
      k: nastyJson,
      i: fc.oneof(fc.integer(), nastyJson),
    })
    .map((cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url')),
  nastyString,
);

/** A query string of list parameters, each absent, valid, odd, or repeated, plus unknown ones. */
export const listQuery: fc.Arbitrary<string> = fc
  .record(
    {
      limit: fc.array(queryText, { minLength: 1, maxLength: 2 }),
      cursor: fc.array(fc.oneof(cursorText, queryText), { minLength: 1, maxLength: 2 }),
      sort: fc.array(fc.oneof(fc.constantFrom(...sorts), queryText), { minLength: 1, maxLength: 2 }),
      q: fc.array(fc.oneof(nastyString, fc.string({ minLength: 190, maxLength: 210 })), { minLength: 1, maxLength: 2 }),
      type: fc.array(queryText, { minLength: 1, maxLength: 2 }),
      event: fc.array(nastyString, { minLength: 1, maxLength: 2 }),
      other: fc.array(fc.tuple(nastyString, nastyString), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  )
  .map(({ other, ...known }) => {
    const params = new URLSearchParams();
    for (const [name, values] of Object.entries(known)) for (const value of values ?? []) params.append(name, value);
    for (const [name, value] of other ?? []) params.append(name, value);
    return params.toString();
  });

// Every field the server knows but the trait pattern (traits are generated apart).
const filterFields = knownFilterFields.filter((field) => field !== 'traits.<name>');

const filterValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyJson,
  nastyNumber,
  fc.constantFrom('customer', 'vip', 'acme', 'ada@example.com', '2026-02-01T00:00:00Z', '2026-02-30', 'pro', 5, true),
  fc.array(fc.oneof(nastyString, nastyNumber, fc.constantFrom('vip', 'acme', 'lead')), { maxLength: 5 }),
  fc.constant(Array.from({ length: 101 }, (_, i) => `v${i}`)),
  fc.constant('x'.repeat(501)),
);

const filter = fc.record(
  {
    field: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...filterFields) },
      {
        weight: 2,
        arbitrary: fc.constantFrom('traits.plan', 'traits.seats', 'traits.beta', 'traits.address.city', 'traits.a-b'),
      },
      { weight: 1, arbitrary: nastyString.map((name) => `traits.${name}`) },
      { weight: 1, arbitrary: nastyJson },
    ),
    op: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...filterOps) }, { weight: 1, arbitrary: nastyJson }),
    value: filterValue,
    extra: nastyJson,
  },
  { requiredKeys: ['field', 'op'] },
);

/** A search body: mostly the right shape with odd parts, sometimes anything at all. */
export const searchBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        filters: fc.oneof(
          fc.array(filter, { maxLength: 4 }),
          fc.constant(Array.from({ length: 21 }, () => ({ field: 'email', op: 'exists' }))),
          nastyJson,
        ),
        sort: fc.oneof(fc.constantFrom(...sorts), nastyJson),
        limit: fc.oneof(fc.integer({ min: -2, max: 600 }), nastyJson),
        cursor: fc.oneof(cursorText, nastyJson),
        [injectionStrings[0]]: nastyJson,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: nastyJson },
);

/** Bodies for PATCH /contacts/{ref}, POST /contacts and POST …/notes, right-shaped or not. */
export const writeBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        email: fc.oneof(fc.constantFrom('new@example.com', 'ADA@example.com', 'x@y'), nastyString, nastyJson),
        userId: fc.oneof(fc.constantFrom('u1', 'u-new'), nastyString, nastyJson),
        lifecycleStage: fc.oneof(fc.constantFrom('lead', 'customer', null), nastyJson),
        owner: fc.oneof(nastyString, nastyJson),
        tags: fc.oneof(fc.array(nastyString, { maxLength: 5 }), nastyJson),
        traits: fc.oneof(fc.dictionary(nastyString, nastyJson, { maxKeys: 4 }), nastyJson),
        body: fc.oneof(nastyString, nastyJson, fc.constant('n'.repeat(10_001))),
        author: fc.oneof(nastyString, nastyJson),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: nastyJson },
);
