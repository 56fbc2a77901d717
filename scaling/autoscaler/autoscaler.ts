import { Counter, Gauge, type Registry } from 'prom-client';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import type { FunctionStatus } from '../../contracts/openfaas/function.ts';
import { inputTopic } from '../../contracts/openfaas/read-settings.ts';
import { isCdnfaasError } from '../../lib/errors.ts';
import { repeatUntilAborted } from '../../lib/repeat.ts';
import type { Logger } from '../../lib/logger.ts';
import type { GroupReport } from '../lag/monitor.ts';
import { decide, emptyMemory, isStuck, type Decision, type ScaleMemory } from './decision.ts';
import { scaleSettings } from './settings.ts';

/** What the autoscaler needs from the gateway: the OpenFaaS list and scale routes. */
export interface ScaleTarget {
  listFunctions(signal?: AbortSignal): Promise<FunctionStatus[]>;
  scaleFunction(name: string, replicas: number, signal?: AbortSignal): Promise<void>;
}

export interface AutoscalerOptions {
  gateway: ScaleTarget;
  /** Latest lag report of a consumer group (from the lag monitor). */
  lag(groupId: string): GroupReport | undefined;
  logger: Logger;
  registry: Registry;
  intervalMs: number;
  /** A partition whose committed offset did not move for this long while it had lag is stuck. */
  stuckAfterMs: number;
  now?: () => number;
}

/** A tick that asked the gateway for another replica count. */
export interface ScaleChange {
  at: string;
  from: number;
  to: number;
  totalLag: number;
}

export interface FunctionScaling {
  function: string;
  current: number;
  decision: Decision;
  at: string;
  /** The last changes (up to 20), so a reader polling now and then misses none of them. */
  changes: ScaleChange[];
}

const changesKept = 20;

/**
 * Every interval: the Kafka-triggered functions from the gateway, their group's lag from the
 * monitor, the pure decision, and POST /system/scale-function when it differs from the current
 * replica count. Works against the local gateway and a real OpenFaaS gateway alike.
 */
export class Autoscaler {
  readonly #options: AutoscalerOptions;
  readonly #memory = new Map<string, ScaleMemory>();
  readonly #last = new Map<string, FunctionScaling>();
  readonly #reported = new Map<string, string>();
  readonly #stop = new AbortController();
  readonly #desired: Gauge;
  readonly #scaled: Counter;
  #ticking: () => Promise<void> = () => Promise.resolve();

  constructor(options: AutoscalerOptions) {
    this.#options = options;
    this.#desired = new Gauge({
      name: 'cdnfaas_autoscaler_desired_replicas',
      help: 'Replicas the autoscaler wants per function',
      labelNames: ['function'],
      registers: [options.registry],
    });
    this.#scaled = new Counter({
      name: 'cdnfaas_autoscaler_scale_total',
      help: 'Scale calls made, by direction',
      labelNames: ['function', 'direction'],
      registers: [options.registry],
    });
  }

  start(): void {
    this.#ticking = repeatUntilAborted(
      () =>
        this.tick().catch((error: unknown) =>
          this.#report('(gateway)', 'autoscaler could not read functions', error),
        ),
      this.#options.intervalMs,
      this.#stop.signal,
    );
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#ticking();
  }

  async tick(): Promise<void> {
    const now = (this.#options.now ?? Date.now)();
    const statuses = await this.#options.gateway.listFunctions(this.#stop.signal);
    const seen = new Set<string>();
    for (const status of statuses) {
      seen.add(status.name);
      try {
        if (inputTopic(status) === undefined) continue;
        await this.#scaleOne(status, now);
        this.#reported.delete(status.name);
      } catch (error) {
        if (this.#stop.signal.aborted) return;
        this.#report(status.name, 'could not scale function', error);
      }
    }
    for (const name of [...this.#memory.keys()]) {
      if (!seen.has(name)) {
        this.#memory.delete(name);
        this.#last.delete(name);
        this.#desired.remove({ function: name });
      }
    }
  }

  async #scaleOne(status: FunctionStatus, now: number): Promise<void> {
    const settings = scaleSettings(status);
    const report = this.#options.lag(groupIdFor(status.name));
    if (report === undefined) return;
    const partitions = report.partitions.map((partition) => ({
      partition: partition.partition,
      lag: partition.lag,
      stuck: isStuck(partition.window, report.at, this.#options.stuckAfterMs),
    }));
    const decision = decide({
      now,
      current: status.replicas,
      settings,
      partitions,
      memory: this.#memory.get(status.name) ?? emptyMemory,
    });
    this.#memory.set(status.name, decision.memory);
    const at = new Date(now).toISOString();
    const changes = this.#last.get(status.name)?.changes ?? [];
    if (decision.replicas !== status.replicas) {
      changes.push({ at, from: status.replicas, to: decision.replicas, totalLag: decision.totalLag });
      if (changes.length > changesKept) changes.splice(0, changes.length - changesKept);
    }
    this.#last.set(status.name, { function: status.name, current: status.replicas, decision, at, changes });
    this.#desired.set({ function: status.name }, decision.replicas);
    if (decision.replicas === status.replicas) return;
    await this.#options.gateway.scaleFunction(status.name, decision.replicas, this.#stop.signal);
    this.#scaled.inc({
      function: status.name,
      direction: decision.replicas > status.replicas ? 'up' : 'down',
    });
    this.#options.logger.info(
      {
        function: status.name,
        from: status.replicas,
        to: decision.replicas,
        totalLag: decision.totalLag,
        reason: decision.reason,
      },
      'scaled function',
    );
  }

  #report(key: string, message: string, error: unknown): void {
    const detail = isCdnfaasError(error) ? error.describe() : (error as Error).message;
    if (this.#reported.get(key) === detail) return;
    this.#reported.set(key, detail);
    this.#options.logger.error({ function: key, error: detail }, message);
  }

  snapshot(): FunctionScaling[] {
    return [...this.#last.values()].sort((a, b) => a.function.localeCompare(b.function));
  }
}
