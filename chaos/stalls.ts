// How long each stage of the pipeline stood still while it had work: sampled once a second during
// the replay and the faults. A stage progresses when its group's committed offsets move on (or it
// has nothing left to do); a stall is the time between two such moments while records waited.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { pipelineLag, type SettleTarget } from './read-back.ts';

export interface StageSample {
  /** ms after the replay started. */
  atMs: number;
  /** Sum of the group's committed offsets (end offsets minus lag). */
  committed: number;
  lag: number;
}

export interface StageStall {
  stage: string;
  /** The longest time without progress while records waited, ms. */
  longestMs: number;
  /** When it began, ms after the replay started (undefined when the stage never stood still). */
  fromMs: number | undefined;
  samples: number;
}

/** The longest stall in a stage's samples (in time order). Pure. */
export function longestStall(stage: string, samples: readonly StageSample[]): StageStall {
  let longest = { ms: 0, from: undefined as number | undefined };
  let lastProgress: StageSample | undefined;
  for (const sample of samples) {
    const progressed =
      lastProgress === undefined || sample.lag === 0 || sample.committed > lastProgress.committed;
    if (!progressed) {
      const ms = sample.atMs - lastProgress!.atMs;
      if (ms > longest.ms) longest = { ms, from: lastProgress!.atMs };
      continue;
    }
    lastProgress = sample;
  }
  return { stage, longestMs: longest.ms, fromMs: longest.from, samples: samples.length };
}

async function sampleStage(
  admin: Admin,
  target: SettleTarget,
): Promise<Omit<StageSample, 'atMs'> | undefined> {
  try {
    const [lag, offsets] = await Promise.all([
      pipelineLag(admin, [target]),
      admin.fetchTopicOffsets(target.topic),
    ]);
    if (lag === undefined) return undefined;
    const end = offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    return { committed: end - lag, lag };
  } catch {
    return undefined; // Kafka not answering: no sample, the time still counts
  }
}

/** Samples every stage each second until `signal` aborts; then each stage's longest stall. */
export async function watchStalls(
  admin: Admin,
  targets: SettleTarget[],
  startedAt: number,
  signal: AbortSignal,
): Promise<StageStall[]> {
  const samples = new Map<string, StageSample[]>(targets.map((target) => [target.function, []]));
  while (!signal.aborted) {
    const atMs = Math.round(performance.now() - startedAt);
    const taken = await Promise.all(targets.map((target) => sampleStage(admin, target)));
    taken.forEach((sample, index) => {
      if (sample) samples.get(targets[index]!.function)!.push({ atMs, ...sample });
    });
    await sleep(1_000, undefined, { signal }).catch(() => undefined);
  }
  return targets.map((target) => longestStall(target.function, samples.get(target.function)!));
}
