import { describe, expect, it } from 'vitest';
import { type DriverTally, emptyTally } from './drivers/driver.js';
import { judge } from './verdict.js';

const tally = (fields: Partial<DriverTally>): DriverTally => ({ ...emptyTally(), ...fields });
const stored = (entries: [string, number][]) => new Map(entries);

describe('judge', () => {
  it('passes when every accepted event is stored once and none was dropped', () => {
    const verdict = judge(
      [tally({ accepted: ['a-1', 'a-2'], delivered: ['a-1', 'a-2'] }), tally({ accepted: ['b-1'] })],
      stored([
        ['a-1', 1],
        ['a-2', 1],
        ['b-1', 1],
      ]),
    );
    expect(verdict).toMatchObject({ accepted: 3, delivered: 2, stored: 3, missing: [], duplicated: [], isPass: true });
  });

  it('fails on an accepted event the server does not hold', () => {
    const verdict = judge([tally({ accepted: ['a-1', 'a-2'] })], stored([['a-1', 1]]));
    expect(verdict).toMatchObject({ missing: ['a-2'], isPass: false });
  });

  it('fails on a messageId stored twice', () => {
    const verdict = judge([tally({ accepted: ['a-1'] })], stored([['a-1', 2]]));
    expect(verdict).toMatchObject({ duplicated: [{ messageId: 'a-1', count: 2 }], isPass: false });
  });

  it('fails on any event reported dropped, even one the server holds', () => {
    const verdict = judge(
      [tally({ accepted: ['a-1'], dropped: [{ messageId: 'a-1', code: 'retry_limit' }] })],
      stored([['a-1', 1]]),
    );
    expect(verdict).toMatchObject({ dropped: [{ messageId: 'a-1', code: 'retry_limit' }], isPass: false });
  });

  it('fails on an event reported delivered that the server does not hold', () => {
    const verdict = judge([tally({ delivered: ['a-9'] })], stored([]));
    expect(verdict).toMatchObject({ deliveredNotStored: ['a-9'], isPass: false });
  });

  it('allows unconfirmed stored events only from an app life that was killed', () => {
    const killed = tally({ accepted: ['app-1-0'], killedLives: ['app-1-'] });
    const explained = judge(
      [killed],
      stored([
        ['app-1-0', 1],
        ['app-1-1', 1],
      ]),
    );
    expect(explained).toMatchObject({ unconfirmed: ['app-1-1'], unexplained: [], isPass: true });
    const unexplained = judge([killed], stored([['app-2-0', 1]]));
    expect(unexplained).toMatchObject({ unexplained: ['app-2-0'], isPass: false });
  });
});
