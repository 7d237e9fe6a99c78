import { v7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatUuidV7 } from './uuid-v7.js';

describe('formatUuidV7', () => {
  it('writes the same UUIDv7 as the uuid package for the inputs the message-id factory passes', () => {
    const pool = new Uint8Array(64);
    for (let round = 0; round < 5_000; round++) {
      crypto.getRandomValues(pool);
      const offset = (round % 4) * 16;
      // Some rounds share a millisecond, as a burst does; the counter takes any 32-bit value.
      const msecs = round % 3 === 0 ? 1_764_000_000_000 : Math.floor(Math.random() * 2 ** 48);
      const seq = (Math.random() * 2 ** 32) | 0;
      expect(formatUuidV7(msecs, seq, pool, offset)).toBe(
        v7({ msecs, seq, random: pool.subarray(offset, offset + 16) }),
      );
    }
  });
});
