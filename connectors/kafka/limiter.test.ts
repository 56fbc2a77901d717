import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.ts';
import { AbortedError } from '../../lib/backoff.ts';

describe('Limiter', () => {
  it('holds callers beyond capacity in arrival order', async () => {
    const limiter = new Limiter(1);
    const order: string[] = [];
    const first = await limiter.acquire();
    const second = limiter.acquire().then((release) => (order.push('second'), release));
    const third = limiter.acquire().then((release) => (order.push('third'), release));
    expect(limiter.waiting).toBe(2);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(['second', 'third']);
    expect(limiter.inUse).toBe(0);
  });

  it('lets more through when capacity grows', async () => {
    const limiter = new Limiter(1);
    await limiter.acquire();
    const waiting = limiter.acquire();
    limiter.setCapacity(2);
    await waiting;
    expect(limiter.inUse).toBe(2);
  });

  it('drops an aborted waiter', async () => {
    const limiter = new Limiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
    release();
    expect(limiter.inUse).toBe(0);
    expect(limiter.waiting).toBe(0);
  });
});
