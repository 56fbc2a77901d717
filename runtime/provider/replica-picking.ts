import type { Replica } from './replica.ts';
import type { InvokeTarget } from './types.ts';

/**
 * The ready replica with the fewest calls in flight, looking from `cursor` on so that equally
 * busy replicas take turns; undefined when none is ready.
 */
export function leastBusyReplica(replicas: readonly Replica[], cursor: number): Replica | undefined {
  let best: Replica | undefined;
  for (let i = 0; i < replicas.length; i++) {
    const replica = replicas[(cursor + i) % replicas.length]!;
    if (replica.state !== 'ready' || replica.pool === undefined) continue;
    if (best === undefined || replica.inFlight < best.inFlight) best = replica;
  }
  return best;
}

/** Takes the replica for one call; the target's release gives it back once, however often called. */
export function takeForCall(replica: Replica): InvokeTarget {
  replica.take();
  let released = false;
  return {
    instance: replica.instance,
    dispatcher: replica.pool!,
    origin: replica.origin,
    release: () => {
      if (released) return;
      released = true;
      replica.release();
    },
    reportFailure: () => replica.suspect(),
  };
}
