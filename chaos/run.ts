// One chaos run: an isolated pipeline, a paced replay into cdn_raw, the planned faults done to
// it meanwhile, then (once it has settled) everything read back and reconciled.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../lib/logger.ts';
import { createProgress } from '../lib/progress.ts';
import { createRng } from '../lib/prng.ts';
import { evenlySpaced, sendPaced, type SendPacedResult } from '../simulator/send-paced.ts';
import { inject, type InjectedFault } from './injectors.ts';
import { forCluster, planFaults, describeFault, type ChaosProfile, type PlannedFault } from './plan.ts';
import { readSampleIds, readTopic, waitUntilSettled } from './read-back.ts';
import { chaosRecords } from './records.ts';
import { reconcile, type ReadRecord, type Reconciliation } from './reconcile.ts';
import { watchStalls, type StageStall } from './stalls.ts';
import { startIsolatedSystem, type IsolatedSystem } from './system.ts';

export interface ChaosRunOptions {
  profile: ChaosProfile;
  seed: number;
  logger: Logger;
  say?: (line: string) => void;
  keepHome?: boolean;
  /** Called once the faults are done, before settling and reading back (which may fail). */
  onFaults?: (faults: InjectedFault[]) => void;
  /** Local Kafka nodes: 1 (restarts of the one broker) or 3 (leader, controller, rolling restart). */
  kafkaNodes?: number;
}

export interface ChaosReport {
  profile: string;
  seed: number;
  kafkaNodes: number;
  /** Each stage's longest stand-still while records waited, during the replay and the faults. */
  stalls: StageStall[];
  records: number;
  replay: SendPacedResult;
  faults: InjectedFault[];
  settled: boolean;
  reconciliation: Reconciliation;
  timings: { setupMs: number; faultsMs: number; settleMs: number; readBackMs: number };
  /** For each topic with duplicates: where the copies of a few of them sit, and when (s after the start) they were written. */
  evidence: Record<
    string,
    Array<{ id: string; copies: Array<{ partition: number; offset: string; atS: number | null }> }>
  >;
  home: string;
}

const laterDlqs = ['cdn_data.dlq', 'cdn_client_data_storage.dlq', 'cdn_result.dlq'];

/** Runs the faults at their planned times: disruptions one after another, replica kills beside them. */
async function runFaults(
  system: IsolatedSystem,
  plan: PlannedFault[],
  seed: number,
  startedAt: number,
  say: (line: string) => void,
): Promise<InjectedFault[]> {
  const rng = createRng(`${seed}:victims`);
  const done: InjectedFault[] = [];
  const at = () => Math.round(performance.now() - startedAt);
  const one = async (fault: PlannedFault) => {
    const wait = fault.atMs - at();
    if (wait > 0) await sleep(wait);
    const startedAtMs = at();
    say(`fault at ${(startedAtMs / 1000).toFixed(1)} s: ${describeFault(fault)}`);
    const result = await inject(system, fault, rng, startedAtMs);
    if (fault.kind !== 'kill-replica' || result.outcome !== 'done')
      say(`  ${result.outcome}: ${result.detail} (${(result.outageMs / 1000).toFixed(1)} s)`);
    done.push(result);
  };
  const kills = plan.filter((fault) => fault.kind === 'kill-replica');
  const disruptions = plan.filter((fault) => fault.kind !== 'kill-replica');
  await Promise.all([
    Promise.all(kills.map(one)),
    (async () => {
      for (const fault of disruptions) await one(fault);
    })(),
  ]);
  return done.sort((a, b) => a.startedAtMs - b.startedAtMs);
}

export async function runChaos(options: ChaosRunOptions): Promise<ChaosReport> {
  const { seed } = options;
  const kafkaNodes = options.kafkaNodes ?? 1;
  const profile = kafkaNodes >= 3 ? forCluster(options.profile) : options.profile;
  const say = options.say ?? (() => undefined);
  const records = chaosRecords(profile.records, profile.invalidFraction, seed);
  const plan = planFaults(profile, seed, kafkaNodes);
  say(
    `chaos (${profile.name}, seed ${seed}, ${kafkaNodes} Kafka node${kafkaNodes === 1 ? '' : 's'}): ${records.length} records at ${profile.rate}/s, ${plan.length} faults`,
  );

  const setupStarted = performance.now();
  const system = await startIsolatedSystem({
    logger: options.logger,
    say: (line) => say(`  ${line}`),
    keepHome: options.keepHome,
    kafkaNodes,
  });
  const stopWatching = new AbortController();
  try {
    const setupMs = performance.now() - setupStarted;
    const startedAt = performance.now();
    const startedAtEpoch = Date.now();
    const progress = createProgress('replay into cdn_raw', records.length);
    const targets = system.functions.map((fn) => ({ function: fn.name, topic: fn.annotations.topic! }));
    const stalls = watchStalls(system.admin, targets, startedAt, stopWatching.signal);
    const [replay, faults] = await Promise.all([
      sendPaced(
        system.kafka,
        'cdn_raw',
        evenlySpaced(
          records.map((record) => record.value),
          profile.rate,
        ),
        { chunkSize: 2_000, logger: options.logger, onProgress: (sent) => progress.update(sent) },
      ).finally(() => progress.stop()),
      runFaults(system, plan, seed, startedAt, say),
    ]);
    const faultsMs = performance.now() - startedAt;
    stopWatching.abort();
    options.onFaults?.(faults);

    say(`replayed ${replay.sent} records; waiting for the pipeline to settle`);
    const settleStarted = performance.now();
    let lastSaid = 0;
    const settled = await waitUntilSettled(system.admin, targets, profile.settleTimeoutMs, (lag) => {
      if (performance.now() - lastSaid < 5_000) return;
      lastSaid = performance.now();
      say(`  lag ${lag ?? 'unknown (Kafka not answering)'}`);
    });
    const settleMs = performance.now() - settleStarted;
    if (!settled) say(`not settled after ${profile.settleTimeoutMs / 1000} s: reconciling what is there`);

    const readStarted = performance.now();
    const brokers = system.config.kafka.brokers;
    const [raw, rawDlq, data, storage, result, clientData, predictions, ...later] = await Promise.all([
      readTopic(brokers, 'cdn_raw'),
      readTopic(brokers, 'cdn_raw.dlq'),
      readTopic(brokers, 'cdn_data'),
      readTopic(brokers, 'cdn_client_data_storage'),
      readTopic(brokers, 'cdn_result'),
      readSampleIds(system.config, 'cdn_client_data'),
      readSampleIds(system.config, 'predictions'),
      ...laterDlqs.map((topic) => readTopic(brokers, topic)),
    ]);
    const keys = (list: { key: string | null }[]) => list.map((record) => record.key ?? '');
    const reconciliation = reconcile(
      records,
      {
        raw,
        rawDlq,
        topics: { cdn_data: keys(data), cdn_client_data_storage: keys(storage), cdn_result: keys(result) },
        laterDlqs: Object.fromEntries(laterDlqs.map((topic, i) => [topic, later[i]!.length])),
        stored: { cdn_client_data: clientData, predictions },
      },
      replay.resentRecords,
    );
    const evidence: ChaosReport['evidence'] = {};
    const byTopic: Record<string, ReadRecord[]> = {
      cdn_data: data,
      cdn_client_data_storage: storage,
      cdn_result: result,
    };
    for (const row of reconciliation.rows) {
      const topic = Object.keys(byTopic).find((name) => row.check === `valid -> ${name}`);
      if (topic === undefined || row.examples === undefined || row.examples.duplicated.length === 0) continue;
      evidence[topic] = row.examples.duplicated.map((id) => ({
        id,
        copies: byTopic[topic]!.filter((record) => record.key === id).map((record) => ({
          partition: record.partition,
          offset: record.offset,
          atS: record.timestamp === undefined ? null : (record.timestamp - startedAtEpoch) / 1000,
        })),
      }));
    }
    return {
      evidence,
      profile: profile.name,
      seed,
      kafkaNodes,
      stalls: await stalls,
      records: records.length,
      replay,
      faults,
      settled,
      reconciliation,
      timings: { setupMs, faultsMs, settleMs, readBackMs: performance.now() - readStarted },
      home: system.home,
    };
  } finally {
    stopWatching.abort();
    say('stopping the isolated system');
    await system.close();
  }
}
