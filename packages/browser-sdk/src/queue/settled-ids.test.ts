import { describe, expect, it } from 'vitest';
import { createSettledIds } from './settled-ids.js';

const dropped = (...ids: string[]) => ({
  type: 'dropped' as const,
  reason: { code: 'rejected' as const, message: 'no' },
  events: ids.map((messageId) => ({ messageId, event: {} as never })),
});

describe('settled ids', () => {
  it('remembers what was delivered or dropped, and nothing else', () => {
    const settled = createSettledIds();
    settled.note({ type: 'delivered', messageIds: ['a'] });
    settled.note(dropped('b'));
    settled.note({ type: 'retry', messageIds: ['c'], attempt: 1, delayMs: 1, reason: 'x' });
    expect(['a', 'b', 'c'].map(settled.has)).toEqual([true, true, false]);
  });

  it('forgets the oldest ids past its limit', () => {
    const settled = createSettledIds(2);
    settled.note(dropped('a', 'b', 'c'));
    expect(['a', 'b', 'c'].map(settled.has)).toEqual([false, true, true]);
  });
});
