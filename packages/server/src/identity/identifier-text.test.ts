import { describe, expect, it } from 'vitest';
import { identifierTextProblem } from './identifier-text.js';

describe('identifierTextProblem', () => {
  it.each([
    ['u_42'],
    ['ada@example.com'],
    ['名前'],
    ['\ud83d\ude00 a surrogate pair is one character'],
    ['tab\u0080 is not a C0 control'],
  ])('accepts %j', (value) => {
    expect(identifierTextProblem(value)).toBeUndefined();
  });

  it.each([
    ['a\ud800', 'lone UTF-16 surrogate'],
    ['\udc00b', 'lone UTF-16 surrogate'],
    ['a\u0000b', 'control character'],
    ['line\nbreak', 'control character'],
    ['tab\t', 'control character'],
    ['del\u007f', 'control character'],
  ])('refuses %j, naming why', (value, reason) => {
    expect(identifierTextProblem(value)).toContain(reason);
  });
});
