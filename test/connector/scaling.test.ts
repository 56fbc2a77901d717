import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { produce, waitForZeroLag } from './support/kafka.ts';
import { uniqueName, type Harness } from './support/harness.ts';
import { createStageTopics } from './support/stage.ts';
import { stageSuite } from './support/suite.ts';

const partitions = 6;

/** Polls the gateway until `predicate` holds for the function's replica counts; returns the ms it took. */
async function until(
  harness: Harness,
  name: string,
  predicate: (status: { replicas: number; availableReplicas: number }) => boolean,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  let last = { replicas: -1, availableReplicas: -1 };
  while (Date.now() - started < timeoutMs) {
    last = await harness.replicas(name);
    if (predicate(last)) return Date.now() - started;
    await sleep(200);
  }
  throw new Error(
    `${name}: condition not met in ${timeoutMs} ms, last ${JSON.stringify(last)} (log: ${harness.logFile})`,
  );
}

/** One autoscaler tick as GET /scaling shows it, in the autoscaler's own clock. */
interface Tick {
  at: number;
  current: number;
  replicas: number;
  recommended: number;
  totalLag: number;
}

interface ScalingView {
  functions: {
    function: string;
    current: number;
    at: string;
    decision: {
      replicas: number;
      recommended: number;
      totalLag: number;
      memory: { recommendations: { at: number; replicas: number }[] };
    };
    changes: { at: string; from: number; to: number; totalLag: number }[];
  }[];
}

/**
 * Records every autoscaler tick per function by polling GET /scaling much faster than the
 * autoscaler ticks, plus the recommendations its memory still holds (the last window of them),
 * so no tick between two polls goes unseen. Times are the autoscaler's, not the test's.
 */
function watchScaling(url: string): {
  ticks: Map<string, Map<number, Tick>>;
  recommendations: Map<string, Map<number, number>>;
  stop(): Promise<void>;
} {
  const ticks = new Map<string, Map<number, Tick>>();
  const recommendations = new Map<string, Map<number, number>>();
  let running = true;
  const poll = async () => {
    const response = await fetch(`${url}/scaling`).catch(() => undefined);
    if (response?.status === 200) {
      for (const entry of ((await response.json()) as ScalingView).functions) {
        const at = Date.parse(entry.at);
        const seen = ticks.get(entry.function) ?? new Map<number, Tick>();
        seen.set(at, {
          at,
          current: entry.current,
          replicas: entry.decision.replicas,
          recommended: entry.decision.recommended,
          totalLag: entry.decision.totalLag,
        });
        // The ticks that changed the replica count are all kept by the autoscaler: a slow poll
        // under load may miss a tick, never one of those.
        for (const change of entry.changes) {
          const changedAt = Date.parse(change.at);
          seen.set(changedAt, {
            at: changedAt,
            current: change.from,
            replicas: change.to,
            recommended: seen.get(changedAt)?.recommended ?? change.to,
            totalLag: change.totalLag,
          });
        }
        ticks.set(entry.function, seen);
        const held = recommendations.get(entry.function) ?? new Map<number, number>();
        for (const recommendation of entry.decision.memory.recommendations)
          held.set(recommendation.at, recommendation.replicas);
        recommendations.set(entry.function, held);
      }
    }
  };
  const loop = (async () => {
    while (running) {
      await poll();
      await sleep(100);
    }
  })();
  return {
    ticks,
    recommendations,
    async stop() {
      running = false;
      await loop;
      // The change the caller just saw at the gateway may have come after the last poll: the
      // autoscaler keeps its recent changes, so one more poll sees it.
      await poll();
    },
  };
}

/** The first tick that decided to go from above `target` down to it. */
function scaleDownTick(ticks: Map<number, Tick> | undefined, target: number): Tick {
  const sorted = [...(ticks?.values() ?? [])].sort((a, b) => a.at - b.at);
  const tick = sorted.find((entry) => entry.replicas === target && entry.current > target);
  if (tick === undefined) throw new Error(`no autoscaler tick seen that scaled down to ${target}`);
  return tick;
}

describe('lag autoscaling through the gateway', () => {
  const suite = stageSuite();

  it('scales a backlog out to max, back to min or zero after the window, and from zero on a new record', async () => {
    const zero = uniqueName('scale-zero');
    const floor = uniqueName('scale-min');
    for (const name of [zero, floor]) {
      await createStageTopics(suite.harness, name, partitions);
    }
    const annotations = (name: string) => ({
      topic: `${name}-in`,
      'cdnfaas.output': `${name}-out`,
      'cdnfaas.scale.lag-target': '10000',
      'cdnfaas.scale.down-window': '5s',
    });
    await suite.harness.deploy({
      name: zero,
      image: 'cdnfaas/connector-stage:0.1.0',
      annotations: annotations(zero),
      labels: {
        'com.openfaas.scale.min': '1',
        'com.openfaas.scale.max': '4',
        'com.openfaas.scale.zero': 'true',
        'com.openfaas.scale.zero-duration': '5s',
      },
      envVars: { BATCH_DELAY_MS: '10' },
    });
    await suite.harness.deploy({
      name: floor,
      image: 'cdnfaas/connector-stage:0.1.0',
      annotations: annotations(floor),
      labels: { 'com.openfaas.scale.min': '1', 'com.openfaas.scale.max': '4' },
      envVars: { BATCH_DELAY_MS: '10' },
    });
    await suite.harness.waitForReady(zero, 1);
    await suite.harness.waitForReady(floor, 1);
    const backlog = (name: string, count: number) =>
      Array.from({ length: count }, (_, n) => ({
        key: `${name}-${n}`,
        value: JSON.stringify({ id: `${name}-${n}`, n }),
      }));
    await Promise.all([
      produce(suite.harness.kafka, `${zero}-in`, backlog(zero, 200_000)),
      produce(suite.harness.kafka, `${floor}-in`, backlog(floor, 60_000)),
    ]);

    const connector = await suite.harness.startConnector({ autoscale: true });
    // A retried attempt starts clean: no autoscaler or functions left over from this one.
    onTestFinished(async () => {
      await connector.stop();
      for (const name of [zero, floor]) await suite.harness.remove(name).catch(() => undefined);
    });
    // Watched from the start: a backlog may drain before the scale-out is even seen from here.
    const watcher = watchScaling(connector.url);
    const [zeroOut, floorOut] = await Promise.all([
      until(suite.harness, zero, (status) => status.availableReplicas === 4, 10_000),
      until(suite.harness, floor, (status) => status.availableReplicas === 4, 10_000),
    ]);
    expect(zeroOut).toBeLessThan(10_000);
    expect(floorOut).toBeLessThan(10_000);

    // Each function scales down only after its window: to min once no recommendation above min
    // was made for the 5 s scale-down window, to zero (where allowed) once the lag stayed at zero
    // for the 5 s idle period. Judged on the autoscaler's own ticks: the test sees the lag reach
    // zero later than the autoscaler may have, so timing from the test's view says nothing.
    const scaleDownAfterDrain = async (
      name: string,
      predicate: (status: { replicas: number; availableReplicas: number }) => boolean,
    ) => {
      await waitForZeroLag(suite.harness.admin, groupIdFor(name), `${name}-in`, 120_000);
      const drainedAt = Date.now();
      await until(suite.harness, name, predicate, 30_000);
      return Date.now() - drainedAt;
    };
    const [toZero, toMin] = await Promise.all([
      scaleDownAfterDrain(zero, (status) => status.replicas === 0 && status.availableReplicas === 0),
      scaleDownAfterDrain(floor, (status) => status.replicas === 1),
    ]);
    const drained = Date.now();
    await watcher.stop();
    const windowMs = 5_000;
    const minTick = scaleDownTick(watcher.ticks.get(floor), 1);
    const lastAboveMin = Math.max(
      ...[...(watcher.recommendations.get(floor) ?? new Map<number, number>())]
        .filter(([at, replicas]) => at < minTick.at && replicas > 1)
        .map(([at]) => at),
    );
    expect(lastAboveMin, 'a recommendation above min was seen while the backlog drained').toBeGreaterThan(0);
    const minHeld = minTick.at - lastAboveMin;
    expect(minHeld).toBeGreaterThanOrEqual(windowMs);
    const zeroTick = scaleDownTick(watcher.ticks.get(zero), 0);
    const lastLag = Math.max(
      ...[...(watcher.ticks.get(zero)?.values() ?? [])]
        .filter((tick) => tick.at < zeroTick.at && tick.totalLag > 0)
        .map((tick) => tick.at),
    );
    expect(lastLag, 'lag was seen before scaling to zero').toBeGreaterThan(0);
    const zeroHeld = zeroTick.at - lastLag;
    expect(zeroHeld).toBeGreaterThanOrEqual(windowMs);
    expect((await suite.harness.replicas(floor)).replicas).toBe(1);

    // A new record wakes the function from zero and is processed.
    const reader = suite.harness.kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
    const received: string[] = [];
    await reader.connect();
    await reader.subscribe({ topic: `${zero}-out`, fromBeginning: false });
    await reader.run({ eachMessage: async ({ message }) => void received.push(message.key!.toString()) });
    await sleep(4_000);
    await produce(suite.harness.kafka, `${zero}-in`, [
      { key: 'wake-up', value: JSON.stringify({ id: 'wake-up', n: 0 }) },
    ]);
    const woke = await until(suite.harness, zero, (status) => status.replicas >= 1, 10_000);
    await waitForZeroLag(suite.harness.admin, groupIdFor(zero), `${zero}-in`, 30_000);
    const deadline = Date.now() + 15_000;
    while (!received.includes('wake-up') && Date.now() < deadline) await sleep(100);
    await reader.disconnect();
    expect(received).toContain('wake-up');
    expect(woke).toBeLessThan(10_000);

    const scaling = (await (await fetch(`${connector.url}/scaling`)).json()) as {
      functions: { function: string; decision: { replicas: number; reason: string } }[];
    };
    expect(scaling.functions.map((entry) => entry.function).sort()).toEqual([floor, zero].sort());
    process.stderr.write(
      `scaling: out to 4 in ${zeroOut} / ${floorOut} ms; drained, then zero after ${toZero} ms and min after ${toMin} ms (autoscaler: ${zeroHeld} ms after the last lag, ${minHeld} ms after the last recommendation above min); woke from zero in ${woke} ms (${Math.round((Date.now() - drained) / 1000)} s after the drain)\n`,
    );
  });
});
