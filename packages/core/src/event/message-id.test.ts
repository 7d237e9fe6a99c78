import { describe, expect, it } from 'vitest';
import { createMessageIdFactory } from './message-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createMessageIdFactory', () => {
  it('makes unique UUIDv7s that increase strictly, even within one millisecond', () => {
    const nextId = createMessageIdFactory({ now: () => 1_764_000_000_000 });
    const ids = Array.from({ length: 10_000 }, nextId);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps increasing when the clock steps back', () => {
    const times = [2_000, 1_000, 1_000, 3_000];
    const nextId = createMessageIdFactory({ now: () => times.shift() ?? 0 });
    const ids = [nextId(), nextId(), nextId(), nextId()];
    expect([...ids].sort()).toEqual(ids);
  });

  it('puts the clock time in the first 48 bits', () => {
    const ms = Date.parse('2026-11-29T12:00:00Z');
    const id = createMessageIdFactory({ now: () => ms })();
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('draws its randomness from the source it is given, in pools', () => {
    let fills = 0;
    const nextId = createMessageIdFactory({
      fillRandom: (bytes) => {
        fills++;
        return bytes.fill(0xab);
      },
    });
    for (let index = 0; index < 300; index++) nextId();
    // 4,096 bytes serve 256 ids of 16 bytes.
    expect(fills).toBe(2);
  });
});
