import { describe, expect, it } from 'vitest';
import { busy, createPasswordGate } from './password-gate.js';

describe('the password gate', () => {
  it('runs at most maxRunning checks at once, queues maxWaiting, and refuses the rest at once', async () => {
    const gate = createPasswordGate({ maxRunning: 1, maxWaiting: 1 });
    const releases: (() => void)[] = [];
    let started = 0;
    const check = () =>
      new Promise<string>((resolve) => {
        started += 1;
        releases.push(() => resolve(`done ${started}`));
      });
    const first = gate.run(check);
    const second = gate.run(check);
    expect(await gate.run(check)).toBe(busy);
    await Promise.resolve();
    expect(started).toBe(1);
    releases.shift()?.();
    expect(await first).toBe('done 1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(2);
    releases.shift()?.();
    expect(await second).toBe('done 2');
    // Room again once they are done, a failed check included.
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'ok')).toBe('ok');
  });
});
