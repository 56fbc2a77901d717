import { afterEach, describe, expect, it, vi } from 'vitest';
import { repeatUntilAborted } from './repeat.ts';

afterEach(() => vi.useRealTimers());

describe('repeatUntilAborted', () => {
  it('runs a round at once and then every interval after the last one ended, until aborted', async () => {
    vi.useFakeTimers();
    const stop = new AbortController();
    let rounds = 0;
    const inFlight = repeatUntilAborted(async () => void rounds++, 1_000, stop.signal);
    await inFlight();
    expect(rounds).toBe(1);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(rounds).toBe(3);
    stop.abort();
    await inFlight();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(rounds).toBe(3);
  });

  it('keeps going after a round that fails', async () => {
    vi.useFakeTimers();
    const stop = new AbortController();
    let rounds = 0;
    repeatUntilAborted(
      async () => {
        rounds++;
        throw new Error('broker away');
      },
      100,
      stop.signal,
    );
    await vi.advanceTimersByTimeAsync(250);
    expect(rounds).toBe(3);
    stop.abort();
  });
});
