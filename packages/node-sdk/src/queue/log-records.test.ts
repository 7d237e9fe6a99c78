import type { QueueItem } from '@weft/core';
import { describe, expect, it } from 'vitest';
import { encodePut, encodeRemove, replayLog } from './log-records.js';

function item(id: string): QueueItem {
  return { id, json: `{"messageId":"${id}"}`, bytes: 17, attempts: 0, retryTimeMs: 0, enqueuedAt: 1 };
}

describe('replayLog', () => {
  it.each<[string, string, string[], number]>([
    ['an empty log', '', [], 0],
    ['puts in order', encodePut([item('a')]) + encodePut([item('b')]), ['a', 'b'], 0],
    ['a remove after its put', encodePut([item('a'), item('b')]) + encodeRemove(['a']), ['b'], 0],
    ['a put again after a remove', encodePut([item('a')]) + encodeRemove(['a']) + encodePut([item('a')]), ['a'], 0],
    ['a last line cut short by a crash', encodePut([item('a')]) + encodePut([item('b')]).slice(0, 20), ['a'], 1],
    [
      'a cut-off line followed by a record on a new line',
      `${encodePut([item('a')]).slice(0, 9)}\n${encodePut([item('b')])}`,
      ['b'],
      1,
    ],
    ['a record of the wrong shape', `${JSON.stringify({ put: [{ id: 'x' }] })}\n${encodePut([item('a')])}`, ['a'], 1],
  ])('replays %s', (_name, text, ids, skipped) => {
    const replayed = replayLog(text);
    expect([...replayed.items.keys()]).toEqual(ids);
    expect(replayed.skippedLines).toBe(skipped);
  });

  it('keeps the latest attempts and retry time of an item put twice', () => {
    const later = { ...item('a'), attempts: 3, retryTimeMs: 900 };
    expect(replayLog(encodePut([item('a')]) + encodePut([later])).items.get('a')).toEqual(later);
  });
});
