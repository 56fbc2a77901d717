import type { Admin } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../lib/logger.ts';
import { repeatUntilAborted } from '../../lib/repeat.ts';
import {
  evaluatePartition,
  slide,
  statusRank,
  worstStatus,
  type LagObservation,
  type LagStatus,
} from './evaluator.ts';
import type { PartitionLag } from './lag.ts';
import { readGroupLag, type GroupLag, type LagTarget } from './reader.ts';

export interface LagMonitorOptions {
  admin: Admin;
  logger: Logger;
  registry: Registry;
  /** The groups to follow, asked before every poll. */
  targets(): LagTarget[];
  intervalMs: number;
  /** Observations per partition window. */
  windowSize: number;
}

export interface PartitionReport extends PartitionLag {
  status: LagStatus;
  reason: string;
  window: LagObservation[];
}

export interface GroupReport extends Omit<GroupLag, 'partitions'> {
  status: LagStatus;
  partitions: PartitionReport[];
}

/**
 * Follows the lag of every target group: polls offsets at a fixed interval, keeps a sliding
 * window per partition, evaluates it, and exposes the result as a JSON report and as
 * Prometheus metrics. The autoscaler reads its reports instead of polling Kafka again.
 */
export class LagMonitor {
  readonly #options: LagMonitorOptions;
  readonly #windows = new Map<string, LagObservation[]>();
  readonly #reports = new Map<string, GroupReport>();
  /** Groups whose last read failed, so a persisting failure (a missing topic) is logged once. */
  readonly #failing = new Set<string>();
  readonly #stop = new AbortController();
  readonly #lagGauge: Gauge;
  readonly #statusGauge: Gauge;
  readonly #groupStatusGauge: Gauge;
  #polling: () => Promise<void> = () => Promise.resolve();

  constructor(options: LagMonitorOptions) {
    this.#options = options;
    const registers = [options.registry];
    this.#lagGauge = new Gauge({
      name: 'cdnfaas_consumer_lag',
      help: 'Records a group still has to consume, per partition',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.#statusGauge = new Gauge({
      name: 'cdnfaas_consumer_partition_status',
      help: 'Partition status: 0 OK, 1 WARN, 2 STALL, 3 STOP',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.#groupStatusGauge = new Gauge({
      name: 'cdnfaas_consumer_group_status',
      help: 'Group status (worst partition): 0 OK, 1 WARN, 2 STALL, 3 STOP',
      labelNames: ['group', 'topic'],
      registers,
    });
  }

  start(): void {
    this.#polling = repeatUntilAborted(() => this.poll(), this.#options.intervalMs, this.#stop.signal);
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#polling();
  }

  /** One round over all targets; a group that cannot be read keeps its last report. */
  async poll(): Promise<void> {
    const targets = this.#options.targets();
    const wanted = new Set(targets.map((target) => target.groupId));
    for (const groupId of this.#reports.keys()) if (!wanted.has(groupId)) this.#forget(groupId);
    await Promise.all(
      targets.map(async (target) => {
        try {
          this.#record(await readGroupLag(this.#options.admin, target));
          this.#failing.delete(target.groupId);
        } catch (error) {
          if (this.#failing.has(target.groupId)) return;
          this.#failing.add(target.groupId);
          this.#options.logger.warn(
            { groupId: target.groupId, topic: target.topic, error: (error as Error).message },
            'could not read consumer lag; retrying',
          );
        }
      }),
    );
  }

  #record(group: GroupLag): void {
    const partitions = group.partitions.map((partition): PartitionReport => {
      const key = `${group.groupId}|${group.topic}|${partition.partition}`;
      const window = slide(
        this.#windows.get(key) ?? [],
        { at: group.at, offset: partition.committedOffset, lag: partition.lag },
        this.#options.windowSize,
      );
      this.#windows.set(key, window);
      const evaluation = evaluatePartition(window, this.#options.windowSize, group.members > 0);
      const labels = { group: group.groupId, topic: group.topic, partition: String(partition.partition) };
      this.#lagGauge.set(labels, partition.lag);
      this.#statusGauge.set(labels, statusRank[evaluation.status]);
      return { ...partition, status: evaluation.status, reason: evaluation.reason, window };
    });
    const status = worstStatus(partitions.map((partition) => partition.status));
    const previous = this.#reports.get(group.groupId)?.status;
    if (previous !== undefined && previous !== status) {
      this.#options.logger[status === 'OK' ? 'info' : 'warn'](
        { groupId: group.groupId, topic: group.topic, from: previous, to: status, totalLag: group.totalLag },
        'consumer group status changed',
      );
    }
    this.#groupStatusGauge.set({ group: group.groupId, topic: group.topic }, statusRank[status]);
    this.#reports.set(group.groupId, { ...group, status, partitions });
  }

  #forget(groupId: string): void {
    const report = this.#reports.get(groupId);
    this.#reports.delete(groupId);
    if (report === undefined) return;
    for (const partition of report.partitions) {
      const labels = { group: groupId, topic: report.topic, partition: String(partition.partition) };
      this.#windows.delete(`${groupId}|${report.topic}|${partition.partition}`);
      this.#lagGauge.remove(labels);
      this.#statusGauge.remove(labels);
    }
    this.#groupStatusGauge.remove({ group: groupId, topic: report.topic });
  }

  report(groupId: string): GroupReport | undefined {
    return this.#reports.get(groupId);
  }

  reports(): GroupReport[] {
    return [...this.#reports.values()].sort((a, b) => a.groupId.localeCompare(b.groupId));
  }
}
