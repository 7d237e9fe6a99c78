import { describe, expect, it } from 'vitest';
import { parseServeArgs } from './serve-args.js';

describe('parseServeArgs', () => {
  it.each<[string[], { help: boolean } | RegExp]>([
    [[], { help: false }],
    [['--help'], { help: true }],
    [['-h'], { help: true }],
    [['--port', '9000'], /Unknown option '--port'/],
    [['-p'], /Unknown option '-p'/],
    [['now'], /Unexpected argument 'now'/],
  ])('%j', (args, expected) => {
    const parsed = parseServeArgs(args);
    if (expected instanceof RegExp) expect(parsed).toEqual({ error: expect.stringMatching(expected) });
    else expect(parsed).toEqual(expected);
  });
});
