import fc from 'fast-check';

/** Strings aimed at whatever reads them next: SQL, JSON paths, LIKE, HTML, templates, paths, logs. */
export const injectionStrings = [
  "' OR 1=1 --",
  "'; DROP TABLE events; --",
  '"; DROP TABLE profiles; --',
  "1' UNION SELECT secret_hash FROM credentials --",
  "') OR ('1'='1",
  '%',
  '_',
  '%_%\\',
  '\\',
  '\\\\%',
  '$.a',
  '$."a"',
  '"]',
  "')",
  '*/ SELECT 1 /*',
  '<script>alert(1)</script>',
  // A template placeholder as plain text, for whatever renders it later.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder is the payload
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
  '%2e%2e%2f',
  '%00',
  '\u0000',
  '\u0000\u0001\u001f',
  '\r\nSet-Cookie: x=1',
  '\u202e\u2066',
  '\ufeff',
  '\uffff',
  '🧨👩‍👩‍👧‍👦',
  'e\u0301',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'NaN',
  'Infinity',
  '-0',
  'null',
  'undefined',
  'true',
  '1e400',
  '9007199254740993',
  'user_id:1',
  'email:ADA@Example.com',
  ':',
  '::',
  ' ',
  '',
] as const;

export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));

/** A string a client should never send, and will. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...injectionStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 }))
      .map((parts) => parts.join('')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...injectionStrings), fc.string({ unit: 'binary', maxLength: 8 }))
      .map((parts) => parts.join('')),
  },
);

/** Numbers JSON can carry, and the ones it turns into null. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MIN_SAFE_INTEGER,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    2 ** 63,
    -(2 ** 63),
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e21,
    0.1,
  ),
  fc.double(),
  fc.integer(),
);

export const prototypeKeys = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
] as const;

export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...prototypeKeys) },
  { weight: 3, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constantFrom('email', 'name', 'plan', 'a.b', 'traits', '$', '') },
);

/** Any JSON value built from the pieces above, a few levels deep, small. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    nastyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(nastyKey, tie('value')), { maxLength: 4 }).map(ownEntries),
  ),
})).value;

/**
 * An object with these entries as own properties, `__proto__` included: the object JSON.parse
 * gives the server (a literal or Object.fromEntries would set the prototype instead).
 */
export function ownEntries(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** An object nested `levels` deep ({d: {d: …}}), the outer object being level 1. */
export function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < levels; level++) value = { d: value };
  return value;
}
