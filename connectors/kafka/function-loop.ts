import { batchVerdicts, type FunctionHealth } from './batch-verdicts.ts';
import { decideCycle, smoothed, splitCycle } from './cycle-plan.ts';
import { bufferedState, cycleTiming, positionCycle, takeCycle, type Cycle } from './cycle.ts';
import type { Subscription } from './subscription.ts';
import type { GatewayClient } from './gateway-client.ts';
import type { Limiter } from './limiter.ts';
import type { PartitionPosition } from './partition-position.ts';
import { planPublish } from './publish-plan.ts';
import type { Publisher, PublishTiming } from './publisher.ts';
import type { Verdict } from './resolve-batch.ts';
import { isAborted, sleep, type RetryPolicy } from '../../lib/backoff.ts';
import type { Telemetry } from './telemetry.ts';
import { Wakeup } from './wakeup.ts';

export interface FunctionLoopDeps {
  /** The function's current spec: batch limits, replicas and image tag may change while running. */
  spec(): Subscription;
  /** The partitions this instance owns now, each with its generation. */
  positions(): readonly PartitionPosition[];
  /** Whether a cycle taken under `generation` may still commit (its partitions were not moved). */
  mayCommit(generation: number): boolean;
  /** Drops everything uncommitted and moves the consumer back to the committed offsets. */
  rewind(): Promise<void>;
  /** Partition counts of the output topics, for co-partitioned outputs. */
  outputPartitions(): ReadonlyMap<string, number>;
  gateway: GatewayClient;
  limiter: Limiter;
  publisher: Publisher;
  telemetry: Telemetry;
  policy: RetryPolicy;
  attemptsBeforeSplit: number;
  /** When the function last answered records with success (ms). */
  health: FunctionHealth;
}

export interface FunctionLoop {
  /** Something changed (records fetched, a partition assigned): look again. */
  wake(): void;
  /** Finishes and commits the cycles in flight (within `graceMs`), drops the rest uncommitted, stops. */
  stop(graceMs: number): Promise<void>;
  readonly invoking: boolean;
  readonly publishing: number;
}

/**
 * The hot path of one function on this instance: cycles over every partition it owns. A cycle
 * takes what is buffered (up to a round of full batches over the function's slots), invokes
 * the function with it in as few calls as the limits allow, then publishes all outputs, dead
 * letters and offsets in one transaction (or, for sinks, one offset commit). The next cycle
 * invokes while the previous one publishes; publishes go in cycle order, so every partition's
 * outputs keep their input order.
 */
export function startFunctionLoop(deps: FunctionLoopDeps): FunctionLoop {
  const wakeup = new Wakeup();
  const abort = new AbortController();
  let stopping = false;
  let invoking = false;
  let publishing = 0;
  /** The publish of the latest cycle: the next one publishes after it. */
  let lastPublish: Promise<void> = Promise.resolve();
  /**
   * Set when a cycle failed unexpectedly: cycles taken under this generation or before must not
   * commit after it, or its records would be skipped (recover() rewinds them).
   */
  let failedGeneration = -1;
  /** After a dropped cycle, position-only cycles wait until then, so a refusal is not retried in a spin. */
  let quietUntil = 0;
  /** Recent invoke and publish durations (ms), to start the next cycle just in time. */
  let invokeEstimate: number | undefined;
  let publishEstimate: number | undefined;
  /** When the publish in flight began, if one is. */
  let publishingSince: number | undefined;

  function publishLeftMs(now: number): number {
    if (publishingSince === undefined) return publishEstimate ?? 0;
    return Math.max(0, publishingSince + (publishEstimate ?? 0) - now);
  }

  async function invoke(
    spec: Subscription,
    cycle: Cycle,
  ): Promise<{ verdicts: Verdict[]; queuedMs: number }> {
    const { records } = cycle;
    const lengths = splitCycle(
      records.map((record) => record.size),
      spec.batch,
      Math.max(1, spec.replicas),
      deps.limiter.capacity,
    );
    let start = 0;
    const calls = lengths.map((length) => {
      const batch = records.slice(start, (start += length));
      const clock = { acquired: performance.now() };
      const queuedFrom = clock.acquired;
      return batchVerdicts(batch, spec, { ...deps, signal: abort.signal }, clock).then((verdicts) => ({
        verdicts,
        queuedMs: clock.acquired - queuedFrom,
      }));
    });
    const answers = await Promise.all(calls);
    return {
      verdicts: answers.flatMap((answer) => answer.verdicts),
      queuedMs: Math.max(0, ...answers.map((answer) => answer.queuedMs)),
    };
  }

  async function publish(
    spec: Subscription,
    cycle: Cycle,
    verdicts: Verdict[],
    invoked: { at: number; queuedMs: number },
  ) {
    const plan = planPublish(
      spec,
      cycle.records,
      verdicts,
      cycle.positionOnly,
      new Date(),
      deps.outputPartitions(),
    );
    const publishStarted = Date.now();
    const timing: PublishTiming = { produceMs: 0, commitMs: 0 };
    publishingSince = publishStarted;
    let result;
    try {
      result = await deps.publisher.publish(
        plan,
        () => deps.mayCommit(cycle.generation),
        abort.signal,
        timing,
      );
    } finally {
      publishingSince = undefined;
    }
    if (result === 'committed') publishEstimate = smoothed(publishEstimate, Date.now() - publishStarted);
    const partitions = plan.offsets.map((entry) => entry.partition);
    if (result === 'stale') {
      quietUntil = Date.now() + 100;
      deps.telemetry.batchDropped(
        spec.name,
        spec.topic,
        partitions,
        cycle.records.length,
        'not allowed to commit',
      );
      // Not moved but not allowed to commit (no recent heartbeat): the records taken must be
      // fetched again, or a later cycle would commit past them.
      if (deps.positions()[0]?.generation === cycle.generation) await deps.rewind();
      return;
    }
    const owned = new Map(deps.positions().map((position) => [position.partition, position]));
    for (const entry of plan.offsets) {
      const position = owned.get(entry.partition);
      if (position?.generation === cycle.generation) position.markCommitted(BigInt(entry.offset));
    }
    for (const dead of plan.deadLetters)
      deps.telemetry.deadLettered(spec.name, dead.record, dead.reason, dead.by);
    const timings = cycleTiming(cycle, invoked, { startedAt: publishStarted, doneAt: Date.now(), timing });
    deps.telemetry.batchCommitted(
      spec.name,
      spec.topic,
      partitions,
      cycle.records.length,
      plan.outputRecords,
      timings,
    );
  }

  /** Invokes a cycle, then publishes it after the cycles before it. */
  async function run(spec: Subscription, cycle: Cycle): Promise<void> {
    invoking = true;
    let verdicts: Verdict[];
    let invoked: { at: number; queuedMs: number };
    try {
      const answer = cycle.records.length > 0 ? await invoke(spec, cycle) : { verdicts: [], queuedMs: 0 };
      verdicts = answer.verdicts;
      invoked = { at: Date.now(), queuedMs: answer.queuedMs };
      if (cycle.records.length > 0) invokeEstimate = smoothed(invokeEstimate, invoked.at - cycle.startedAt);
    } catch (error) {
      failedGeneration = Math.max(failedGeneration, cycle.generation);
      throw error;
    } finally {
      invoking = false;
      wakeup.notify();
    }
    publishing += 1;
    const previous = lastPublish;
    const mine = previous.then(async () => {
      try {
        if (cycle.generation <= failedGeneration) {
          quietUntil = Date.now() + 100;
          deps.telemetry.batchDropped(
            spec.name,
            spec.topic,
            [],
            cycle.records.length,
            'an earlier cycle failed',
          );
          return;
        }
        if (!abort.signal.aborted) await publish(spec, cycle, verdicts, invoked);
      } catch (error) {
        failedGeneration = Math.max(failedGeneration, cycle.generation);
        throw error;
      } finally {
        publishing -= 1;
        wakeup.notify();
      }
    });
    lastPublish = mine.catch(() => undefined);
    await mine;
  }

  /**
   * Defensive: an unexpected fault must not kill the function's consumption nor skip records.
   * Everything uncommitted is dropped and the consumer rewinds to the committed offsets.
   */
  async function recover(spec: Subscription, error: unknown): Promise<void> {
    deps.telemetry.workerFault(spec.name, spec.topic, -1, error);
    await deps
      .rewind()
      .catch((rewindError: unknown) => deps.telemetry.workerFault(spec.name, spec.topic, -1, rewindError));
    await sleep(1000, abort.signal).catch(() => undefined);
  }

  const inFlight = new Set<Promise<void>>();

  async function loop(): Promise<void> {
    while (!stopping) {
      const spec = deps.spec();
      const positions = deps.positions();
      const state = bufferedState(positions);
      const decision = decideCycle(
        {
          buffered: state.records,
          bytes: state.bytes,
          oldestAgeMs: state.oldestAgeMs,
          invoking,
          publishing,
          slots: deps.limiter.capacity,
          publishLeftMs: publishLeftMs(Date.now()),
          invokeMs: invokeEstimate ?? 0,
        },
        spec.batch,
      );
      let cycle: Cycle | undefined;
      if (decision.start) {
        cycle = takeCycle(positions, spec.batch, spec.batch.maxRecords * deps.limiter.capacity);
        for (const position of positions)
          deps.telemetry.buffered(spec.name, position.partition, position.buffered);
      } else if (state.records === 0 && !invoking && publishing === 0 && Date.now() >= quietUntil)
        cycle = positionCycle(positions);
      if (cycle === undefined) {
        const quiet = Math.max(0, quietUntil - Date.now());
        await wakeup.wait(
          decision.start ? 100 : quiet > 0 ? Math.min(quiet, decision.waitMs) : decision.waitMs,
        );
        continue;
      }
      const running: Promise<void> = run(spec, cycle)
        .catch(async (error: unknown) => {
          if (!isAborted(error)) await recover(spec, error);
        })
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
      // the next cycle may begin once this one has invoked (or right away if it has nothing to invoke)
      await Promise.race([running, waitUntil(() => !invoking)]);
    }
  }

  function waitUntil(condition: () => boolean): Promise<void> {
    return (async () => {
      while (!condition()) await wakeup.wait();
    })();
  }

  const looping = loop();

  return {
    wake: () => wakeup.notify(),
    get invoking() {
      return invoking;
    },
    get publishing() {
      return publishing;
    },
    async stop(graceMs) {
      stopping = true;
      wakeup.notify();
      const timer = setTimeout(() => abort.abort(), graceMs);
      try {
        await looping;
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      } finally {
        clearTimeout(timer);
        await deps.publisher.close();
      }
    },
  };
}
