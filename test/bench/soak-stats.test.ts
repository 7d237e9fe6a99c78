import { describe, expect, it } from 'vitest';
import { readSoakOptions, soakDefaults } from './soak-options.js';
import { createIntervalRecorder, percentile, trendOf } from './soak-stats.js';

describe('soak figures', () => {
  it('takes the nearest-rank p99, and 0 when nothing was measured', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(percentile(samples, 99)).toBe(198);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 99)).toBe(0);
  });

  it('counts only acknowledged events in throughput, failed requests as errors, and starts each interval afresh', () => {
    const recorder = createIntervalRecorder();
    recorder.ingest(10, 20, true);
    recorder.ingest(30, 20, false);
    recorder.read(5, true);
    recorder.read(7, false);
    const first = recorder.close({ endSeconds: 2, seconds: 2, rssMb: 100, dbMb: 1 });
    expect(first).toMatchObject({ eventsPerSecond: 10, readsPerSecond: 1, ingestP99Ms: 30, readP99Ms: 7, errors: 2 });
    const second = recorder.close({ endSeconds: 4, seconds: 2, rssMb: 100, dbMb: 1 });
    expect(second).toMatchObject({ eventsPerSecond: 0, errors: 0, ingestP99Ms: 0 });
  });

  it('compares the last interval with the first', () => {
    const at = (eventsPerSecond: number, rssMb: number) => ({
      endSeconds: 0,
      eventsPerSecond,
      readsPerSecond: 1,
      ingestP99Ms: 10,
      readP99Ms: 4,
      rssMb,
      dbMb: 1,
      errors: 0,
    });
    expect(trendOf([at(500, 100), at(490, 150), at(250, 200)])).toEqual({
      'events/s': '0.50×',
      'ingest p99': '1.00×',
      'read p99': '1.00×',
      RSS: '2.00×',
    });
    expect(trendOf([at(500, 100)])).toBeUndefined();
  });
});

describe('soak options', () => {
  it('reads --minutes over WEFT_SOAK_MINUTES over the 10-minute default', () => {
    expect(readSoakOptions([], {})).toEqual(soakDefaults);
    expect(readSoakOptions([], { WEFT_SOAK_MINUTES: '3' })).toMatchObject({ minutes: 3 });
    expect(readSoakOptions(['--minutes', '2'], { WEFT_SOAK_MINUTES: '3' })).toMatchObject({ minutes: 2 });
    expect(readSoakOptions(['--minutes=1', '--rate', '800'], {})).toMatchObject({ minutes: 1, eventsPerSecond: 800 });
  });

  it('shortens the interval of a short run so that it still has several to compare', () => {
    expect(readSoakOptions(['--minutes', '2'], {})).toMatchObject({ intervalSeconds: 15 });
    expect(readSoakOptions(['--minutes', '2', '--interval', '30'], {})).toMatchObject({ intervalSeconds: 30 });
  });

  it('refuses unknown flags and values that are not positive numbers', () => {
    expect(readSoakOptions(['--hours', '1'], {})).toHaveProperty('error');
    expect(readSoakOptions(['--minutes', '0'], {})).toHaveProperty('error');
    expect(readSoakOptions(['--minutes'], {})).toHaveProperty('error');
    expect(readSoakOptions([], { WEFT_SOAK_MINUTES: 'ten' })).toHaveProperty('error');
  });
});
