import { describe, expect, it } from 'vitest';
import { answeredAsync, type Synchronous } from './synchronous.js';

interface Counter {
  add(n: number): Promise<number>;
  fail(): Promise<void>;
}

describe('answeredAsync', () => {
  it('answers each method through a promise, and a throw as a rejection', async () => {
    let total = 0;
    const sync: Synchronous<Counter> = {
      add: (n) => (total += n),
      fail: () => {
        throw new Error('no');
      },
    };
    const counter = answeredAsync<Counter>(sync);
    expect(await counter.add(2)).toBe(2);
    const failed = counter.fail();
    expect(failed).toBeInstanceOf(Promise);
    await expect(failed).rejects.toThrow('no');
  });
});
