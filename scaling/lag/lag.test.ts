import { describe, expect, it } from 'vitest';
import { partitionLag } from './lag.ts';

describe('partitionLag', () => {
  it.each([
    ['committed in the middle', { logStartOffset: 0, logEndOffset: 100, committedOffset: 40 }, 60],
    ['caught up', { logStartOffset: 0, logEndOffset: 100, committedOffset: 100 }, 0],
    [
      'never committed: counts from the log start, not 0',
      { logStartOffset: 30, logEndOffset: 100, committedOffset: null },
      70,
    ],
    [
      'never committed on an empty partition',
      { logStartOffset: 0, logEndOffset: 0, committedOffset: null },
      0,
    ],
    [
      'committed before retention deleted it',
      { logStartOffset: 50, logEndOffset: 80, committedOffset: 10 },
      30,
    ],
    [
      'committed past a stale high watermark',
      { logStartOffset: 0, logEndOffset: 10, committedOffset: 12 },
      0,
    ],
  ])('%s', (_name, offsets, lag) => expect(partitionLag({ partition: 0, ...offsets })).toBe(lag));
});
