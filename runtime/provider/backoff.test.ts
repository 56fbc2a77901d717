import { describe, expect, it } from 'vitest';
import { restartDelayMs, restartsAfterCrash, type BackoffPolicy } from './backoff.ts';

const policy: BackoffPolicy = { initialMs: 100, maxMs: 1_000, resetAfterMs: 5_000 };

describe('restart backoff', () => {
  it.each([
    [0, 100],
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1_000],
    [50, 1_000],
    [-1, 100],
  ])('restart %i waits %i ms', (restarts, delay) => {
    expect(restartDelayMs(policy, restarts)).toBe(delay);
  });

  it('keeps counting while a replica crashes soon after start', () => {
    expect(restartsAfterCrash(policy, 3, 1_000)).toBe(3);
  });

  it('forgets earlier crashes once a replica stayed up long enough', () => {
    expect(restartsAfterCrash(policy, 3, 5_000)).toBe(0);
  });
});
