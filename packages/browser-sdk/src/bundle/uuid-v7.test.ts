// The uuid package is core's dependency, so it is reached through core's folder.

import { describe, expect, it } from 'vitest';
import uuidV7 from '../../../core/node_modules/uuid/dist/v7.js';
import { formatUuidV7 } from './uuid-v7.js';

describe('the UUIDv7 formatter of the script-tag build', () => {
  it('writes the same UUIDv7 as the uuid package for the inputs core passes', () => {
    const pool = new Uint8Array(64);
    for (let round = 0; round < 2_000; round++) {
      crypto.getRandomValues(pool);
      const offset = (round % 4) * 16;
      const msecs = Math.floor(Math.random() * 2 ** 47);
      const seq = Math.floor(Math.random() * 2 ** 32) | 0;
      const random = pool.subarray(offset, offset + 16);
      expect(formatUuidV7(msecs, seq, pool, offset)).toBe(uuidV7({ msecs, seq, random }));
    }
  });

  it('keeps the edges: time 0, the largest 48-bit time, a negative counter', () => {
    const random = new Uint8Array(16).fill(0xff);
    for (const [msecs, seq] of [
      [0, 0],
      [2 ** 48 - 1, -1],
      [1_764_000_000_000, 0x7fffffff],
    ] as const) {
      expect(formatUuidV7(msecs, seq, random, 0)).toBe(uuidV7({ msecs, seq, random }));
    }
  });
});
