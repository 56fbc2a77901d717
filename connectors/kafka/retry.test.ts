import { describe, expect, it } from 'vitest';
import { AbortedError, backoffDelay, sleep } from './retry.ts';

const policy = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };

describe('backoffDelay', () => {
  it.each([
    [1, 1, 100],
    [2, 1, 200],
    [3, 1, 400],
    [5, 1, 1000],
    [9, 1, 1000],
    [1, 0, 50],
    [3, 0, 200],
  ])('attempt %d with random %d waits %d ms', (attempt, random, expected) => {
    expect(backoffDelay(policy, attempt, () => random)).toBe(expected);
  });

  it('without jitter is exact', () => expect(backoffDelay({ ...policy, jitter: 0 }, 2, () => 0.3)).toBe(200));
});

describe('sleep', () => {
  it('rejects at once when aborted', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });
});
