// Decisions deploy/local takes before touching anything, as pure functions of what it observed.
import type { TopicSpec } from '../../system/config.ts';
import type { HostPort } from './address.ts';

export type StartDecision =
  /** KAFKA_BROKERS / INFLUX_URL name the service: start nothing, only check that it answers. */
  | { action: 'check-external' }
  /** A process cdnfaas started is alive: wait for it to be healthy, start nothing. */
  | { action: 'adopt' }
  | { action: 'start' }
  /** Something that cdnfaas did not start holds a port the service needs. */
  | { action: 'port-in-use'; port: HostPort };

export interface StartObservation {
  external: boolean;
  ownProcessAlive: boolean;
  /** The ports the service would bind that are taken right now. */
  busyPorts: HostPort[];
}

export function decideStart(observed: StartObservation): StartDecision {
  if (observed.external) return { action: 'check-external' };
  if (observed.ownProcessAlive) return { action: 'adopt' };
  const [busy] = observed.busyPorts;
  if (busy) return { action: 'port-in-use', port: busy };
  return { action: 'start' };
}

export interface TopicPlan {
  create: TopicSpec[];
  /** Existing topics with fewer partitions than configured; Kafka can add partitions. */
  grow: TopicSpec[];
  /** Existing topics with more partitions than configured; Kafka cannot remove partitions. */
  tooMany: Array<TopicSpec & { actual: number }>;
  unchanged: TopicSpec[];
}

export function planTopics(desired: TopicSpec[], existing: ReadonlyMap<string, number>): TopicPlan {
  const plan: TopicPlan = { create: [], grow: [], tooMany: [], unchanged: [] };
  for (const topic of desired) {
    const actual = existing.get(topic.name);
    if (actual === undefined) plan.create.push(topic);
    else if (actual < topic.partitions) plan.grow.push(topic);
    else if (actual > topic.partitions) plan.tooMany.push({ ...topic, actual });
    else plan.unchanged.push(topic);
  }
  return plan;
}

/** A refusal to obtain faas-cli is remembered; the attempt is repeated only once this long has passed. */
export const faasCliRetryIntervalMs = 24 * 60 * 60 * 1000;

export function shouldRetryObtain(
  refusedAtIso: string | undefined,
  now: Date,
  intervalMs = faasCliRetryIntervalMs,
): boolean {
  if (refusedAtIso === undefined) return true;
  const refusedAt = Date.parse(refusedAtIso);
  return Number.isNaN(refusedAt) || now.getTime() - refusedAt >= intervalMs;
}

/** Ports that two services (or two roles of one) would both bind: a configuration mistake. */
export function conflictingPorts<T extends HostPort & { owner: string }>(ports: T[]): Array<[T, T]> {
  const conflicts: Array<[T, T]> = [];
  ports.forEach((port, index) => {
    const earlier = ports.slice(0, index).find((other) => other.port === port.port);
    if (earlier) conflicts.push([earlier, port]);
  });
  return conflicts;
}
