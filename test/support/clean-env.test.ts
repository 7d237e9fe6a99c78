import { describe, expect, it } from 'vitest';
import { cleanEnv } from './clean-env.js';

describe('cleanEnv', () => {
  const developer = {
    PATH: '/usr/bin',
    HOME: '/home/dev',
    PORT: '9999',
    WEFT_DB: '/home/dev/prod.db',
    WEFT_RATE_LIMIT: '1',
    NODE_OPTIONS: '--inspect',
  };

  it.each<[string, Record<string, string>, Record<string, string>]>([
    ['keeps PATH and HOME, drops WEFT_*, PORT and NODE_OPTIONS', {}, { PATH: '/usr/bin', HOME: '/home/dev' }],
    [
      'adds what the test sets',
      { WEFT_DB: '/tmp/t.db' },
      { PATH: '/usr/bin', HOME: '/home/dev', WEFT_DB: '/tmp/t.db' },
    ],
  ])('%s', (_name, set, expected) => {
    expect(cleanEnv(set, developer)).toEqual(expected);
  });
});
