import { CdnfaasError } from '../../lib/errors.ts';
import type { InvokeTarget } from './types.ts';

interface Waiter {
  resolve(target: InvokeTarget): void;
  reject(error: Error): void;
}

/** Requests waiting for a ready replica of one function (a cold start, a scale from zero). */
export class ReplicaWaiters {
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly functionName: string) {}

  /** Resolves when wake hands over a replica; rejects on timeout (SERVICE_UNHEALTHY) or abort. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<InvokeTarget> {
    const name = this.functionName;
    return new Promise<InvokeTarget>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        resolve: (target) => {
          done();
          resolve(target);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = (): void =>
        waiter.reject(
          new CdnfaasError('TIMEOUT', `the request for ${name} was cancelled while waiting for a replica`),
        );
      const timer = setTimeout(
        () =>
          waiter.reject(
            new CdnfaasError(
              'SERVICE_UNHEALTHY',
              `no replica of ${name} became ready within ${timeoutMs} ms`,
              {
                hint: `see why with: faas-cli logs ${name} --tail=false`,
                context: { function: name, timeoutMs },
              },
            ),
          ),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  /** Hands a replica to each waiter, in arrival order, while `pick` finds one. */
  wake(pick: () => InvokeTarget | undefined): void {
    for (const waiter of this.waiters) {
      const target = pick();
      if (target === undefined) return;
      waiter.resolve(target);
    }
  }

  rejectAll(error: Error): void {
    for (const waiter of this.waiters) waiter.reject(error);
  }
}
