import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  backoffDelay,
  isAborted,
  restartDelayMs,
  restartsAfterCrash,
  sleep,
  type RestartPolicy,
} from './backoff.ts';

const retry = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };

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
    expect(backoffDelay(retry, attempt, () => random)).toBe(expected);
  });

  it('without jitter is exact', () => expect(backoffDelay({ ...retry, jitter: 0 }, 2, () => 0.3)).toBe(200));
});

const restart: RestartPolicy = { initialMs: 100, maxMs: 1_000, resetAfterMs: 5_000 };

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
    expect(restartDelayMs(restart, restarts)).toBe(delay);
  });

  it('keeps counting while a process crashes soon after start', () => {
    expect(restartsAfterCrash(restart, 3, 1_000)).toBe(3);
  });

  it('forgets earlier crashes once a process stayed up long enough', () => {
    expect(restartsAfterCrash(restart, 3, 5_000)).toBe(0);
  });
});

describe('sleep', () => {
  it('rejects at once when aborted', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });

  it('rejects before waiting when the signal is already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort())).rejects.toSatisfy(isAborted);
  });

  it('resolves after the delay otherwise', async () => {
    await expect(sleep(5)).resolves.toBeUndefined();
  });
});
