// The fault schedule of a chaos run: a pure function of a profile and a seed, so a run that
// finds a problem can be repeated fault for fault.
import { createRng, type Rng } from '../lib/prng.ts';

export const pipelineFunctions = ['provide', 'predict', 'load-data', 'load-predictions'] as const;
export type PipelineFunction = (typeof pipelineFunctions)[number];

export type StopSignal = 'SIGTERM' | 'SIGKILL';

export type PlannedFault =
  | { kind: 'kill-replica'; atMs: number; function: PipelineFunction }
  | { kind: 'restart-kafka'; atMs: number; signal: StopSignal }
  // A cluster of three or more nodes (`--kafka-nodes 3`) gets these three instead of restarts.
  | { kind: 'kill-kafka-leader'; atMs: number; topic: string }
  | { kind: 'kill-kafka-controller'; atMs: number }
  | { kind: 'rolling-restart-kafka'; atMs: number }
  | { kind: 'stop-influxdb'; atMs: number; downMs: number }
  | { kind: 'restart-gateway'; atMs: number }
  | { kind: 'restart-connector'; atMs: number; signal: StopSignal };

export type FaultKind = PlannedFault['kind'];

export interface ChaosProfile {
  name: string;
  /** Records replayed into cdn_raw. */
  records: number;
  /** Share of them made invalid (each must end in cdn_raw.dlq). */
  invalidFraction: number;
  /** Replay pace, records per second. */
  rate: number;
  /** Faults happen between these two moments after the replay starts, ms. */
  windowMs: [number, number];
  replicaKills: number;
  kafkaRestarts: number;
  influxOutages: number;
  influxDownMs: number;
  gatewayRestarts: number;
  connectorRestarts: number;
  /** How long the pipeline may take to settle after the last fault before reconciling, ms. */
  settleTimeoutMs: number;
}

/** `npm run chaos`: the full run of the issue. */
export const longProfile: ChaosProfile = {
  name: 'long',
  records: 100_000,
  invalidFraction: 0.02,
  rate: 1_500,
  windowMs: [5_000, 110_000],
  replicaKills: 12,
  kafkaRestarts: 2,
  influxOutages: 1,
  influxDownMs: 30_000,
  gatewayRestarts: 1,
  connectorRestarts: 2,
  settleTimeoutMs: 600_000,
};

/**
 * The form CI runs: the full run made small, every kind of fault once, on fewer records, in a few
 * minutes. What is not named here is as in the full run.
 */
export const shortProfile: ChaosProfile = {
  ...longProfile,
  name: 'short',
  records: 12_000,
  rate: 400,
  windowMs: [3_000, 40_000],
  replicaKills: 4,
  kafkaRestarts: 1,
  influxDownMs: 8_000,
  connectorRestarts: 1,
  settleTimeoutMs: 180_000,
};

/**
 * A profile for a three-node cluster: its faults take longer (each waits for every replica to be
 * back in sync; a rolling restart does that three times), so the window is half as long again and
 * the replay slower, to last until 30 s after it, and the cluster's faults happen under load.
 */
export function forCluster(profile: ChaosProfile): ChaosProfile {
  const windowMs: [number, number] = [profile.windowMs[0], Math.round(profile.windowMs[1] * 1.5)];
  const replaySeconds = (windowMs[1] + 30_000) / 1000;
  return { ...profile, windowMs, rate: Math.min(profile.rate, Math.ceil(profile.records / replaySeconds)) };
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

type Disruption = Exclude<FaultKind, 'kill-replica'>;

/** What a cluster suffers in place of broker restarts, in this order: leader, controller, every node. */
export const clusterFaults = ['kill-kafka-leader', 'kill-kafka-controller', 'rolling-restart-kafka'] as const;
const isClusterFault = (kind: Disruption) => (clusterFaults as readonly string[]).includes(kind);

/** The busy topic whose partition leader is killed: every record passes through it. */
export const leaderFaultTopic = 'cdn_raw';

function disruptionsOf(profile: ChaosProfile, kafkaNodes: number): Disruption[] {
  return [
    ...(kafkaNodes >= 3
      ? [...clusterFaults]
      : Array<Disruption>(profile.kafkaRestarts).fill('restart-kafka')),
    ...Array<Disruption>(profile.influxOutages).fill('stop-influxdb'),
    ...Array<Disruption>(profile.gatewayRestarts).fill('restart-gateway'),
    ...Array<Disruption>(profile.connectorRestarts).fill('restart-connector'),
  ];
}

/**
 * The faults of one run, in time order. Disruptions of a whole service (Kafka, InfluxDB, the
 * gateway, the connector) get one slot each, evenly spread over the window with a jitter, in a
 * seeded order, so they never overlap; replica kills fall anywhere in the window. Restarts by
 * signal alternate between a clean stop and kill -9, starting with kill -9.
 */
export function planFaults(profile: ChaosProfile, seed: number, kafkaNodes = 1): PlannedFault[] {
  const rng = createRng(`${seed}:chaos`);
  const [from, to] = profile.windowMs;
  const span = Math.max(0, to - from);
  const shuffled = shuffle(disruptionsOf(profile, kafkaNodes), rng);
  // The cluster's faults keep their order (the leader first, later the controller, then all).
  const inOrder = shuffled
    .filter(isClusterFault)
    .sort((a, b) => clusterFaults.indexOf(a as never) - clusterFaults.indexOf(b as never));
  const disruptions = shuffled.map((kind) => (isClusterFault(kind) ? inOrder.shift()! : kind));
  const slot = disruptions.length > 0 ? span / disruptions.length : 0;
  const signals: Record<'restart-kafka' | 'restart-connector', number> = {
    'restart-kafka': 0,
    'restart-connector': 0,
  };
  const signalFor = (kind: 'restart-kafka' | 'restart-connector'): StopSignal =>
    signals[kind]++ % 2 === 0 ? 'SIGKILL' : 'SIGTERM';

  const faults: PlannedFault[] = disruptions.map((kind, index) => {
    // Somewhere in the middle 60 % of its slot, so neighbours keep a gap of 40 % of a slot.
    const atMs = Math.round(from + slot * (index + 0.2 + 0.6 * rng.next()));
    switch (kind) {
      case 'restart-kafka':
      case 'restart-connector':
        return { kind, atMs, signal: signalFor(kind) };
      case 'stop-influxdb':
        return { kind, atMs, downMs: profile.influxDownMs };
      case 'restart-gateway':
      case 'kill-kafka-controller':
      case 'rolling-restart-kafka':
        return { kind, atMs };
      case 'kill-kafka-leader':
        return { kind, atMs, topic: leaderFaultTopic };
    }
  });
  for (let i = 0; i < profile.replicaKills; i++) {
    const fn = pipelineFunctions[rng.int(pipelineFunctions.length)]!;
    faults.push({ kind: 'kill-replica', atMs: Math.round(from + rng.next() * span), function: fn });
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}

/** A one-line description of a planned fault, for tables and logs. */
export function describeFault(fault: PlannedFault): string {
  switch (fault.kind) {
    case 'kill-replica':
      return `kill -9 a replica of ${fault.function}`;
    case 'restart-kafka':
      return `restart the Kafka broker (${fault.signal === 'SIGKILL' ? 'kill -9' : 'SIGTERM'})`;
    case 'kill-kafka-leader':
      return `kill -9 the leader of the busiest ${fault.topic} partition, start it again`;
    case 'kill-kafka-controller':
      return 'kill -9 the active KRaft controller, start it again';
    case 'rolling-restart-kafka':
      return 'rolling restart of every Kafka node (SIGTERM, one at a time)';
    case 'stop-influxdb':
      return `stop InfluxDB for ${Math.round(fault.downMs / 1000)} s`;
    case 'restart-gateway':
      return 'restart the gateway (SIGTERM)';
    case 'restart-connector':
      return `restart the connector (${fault.signal === 'SIGKILL' ? 'kill -9' : 'SIGTERM'})`;
  }
}
