import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../../lib/logger.ts';
import type { BufferedRecord } from './records.ts';
import type { RejectedBy, ResolveEvent } from './resolve-batch.ts';

/**
 * The connector's event vocabulary: every event is one method, which writes the log line and
 * moves the metrics, so logs and metrics never disagree. Log lines carry a constant message
 * and the record coordinates as context.
 */
export interface Telemetry {
  /** A cycle committed: its records over `partitions`, with where its time went. */
  batchCommitted(
    fn: string,
    topic: string,
    partitions: number[],
    records: number,
    outputs: number,
    timing: BatchTiming,
  ): void;
  batchDropped(fn: string, topic: string, partitions: number[], records: number, why: string): void;
  deadLettered(fn: string, record: BufferedRecord, reason: string, by: RejectedBy): void;
  resolveEvent(fn: string, event: ResolveEvent): void;
  publishFailed(
    fn: string,
    topic: string,
    partition: number,
    attempt: number,
    delayMs: number,
    error: unknown,
  ): void;
  workerFault(fn: string, topic: string, partition: number, error: unknown): void;
  partitionPaused(fn: string, topic: string, partition: number, buffered: number): void;
  partitionResumed(fn: string, topic: string, partition: number): void;
  buffered(fn: string, partition: number, records: number): void;
  inFlight(fn: string, inUse: number, capacity: number): void;
}

/** Where a cycle's time went, in seconds; the record stages are means over its records. */
export interface BatchTiming {
  /** From the record's Kafka timestamp to its arrival here: upstream commit, visibility, fetch. */
  fetchWait: number;
  /** From its arrival to the start of the cycle that took it. */
  batchWait: number;
  /** Waiting for an in-flight slot of the function. */
  queued: number;
  /** Invocations, retries and bisection until every record had a verdict. */
  invoke: number;
  /** Waiting for the previous cycle's publish, which must commit first. */
  publishWait: number;
  /** Sending outputs and dead letters (in the transaction, for topic stages). */
  produce: number;
  /** Sending the offsets and committing. */
  commit: number;
  /** publish = produce + commit (+ retries). */
  publish: number;
  /** From the start of the cycle to its commit. */
  total: number;
}

const stageNames = [
  'fetchWait',
  'batchWait',
  'queued',
  'invoke',
  'publishWait',
  'produce',
  'commit',
  'publish',
] as const;
const stageLabel: Record<(typeof stageNames)[number], string> = {
  fetchWait: 'fetch_wait',
  batchWait: 'batch_wait',
  queued: 'queued',
  invoke: 'invoke',
  publishWait: 'publish_wait',
  produce: 'produce',
  commit: 'commit',
  publish: 'publish',
};

export function createTelemetry(logger: Logger, registry: Registry): Telemetry {
  const records = new Counter({
    name: 'cdnfaas_connector_records_total',
    help: 'Input records finished, by outcome',
    labelNames: ['function', 'outcome'],
    registers: [registry],
  });
  const outputs = new Counter({
    name: 'cdnfaas_connector_output_records_total',
    help: 'Records published to output topics',
    labelNames: ['function'],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'cdnfaas_connector_dead_letters_total',
    help: 'Records sent to a dead-letter topic, by who rejected them',
    labelNames: ['function', 'rejected_by'],
    registers: [registry],
  });
  const batches = new Histogram({
    name: 'cdnfaas_connector_batch_seconds',
    help: 'Time from taking a cycle of records to committing it (invocation, retries, publish)',
    labelNames: ['function'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const stages = new Histogram({
    name: 'cdnfaas_connector_batch_stage_seconds',
    help: 'Where a cycle spent its time: fetch and batch wait (means per record), slot, invoke, publish wait, produce, commit',
    labelNames: ['function', 'stage'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'cdnfaas_connector_retries_total',
    help: 'Retries, splits and waits, by kind',
    labelNames: ['function', 'kind'],
    registers: [registry],
  });
  const paused = new Gauge({
    name: 'cdnfaas_connector_paused_partitions',
    help: 'Partitions paused because their buffer is full',
    labelNames: ['function'],
    registers: [registry],
  });
  const bufferedRecords = new Gauge({
    name: 'cdnfaas_connector_buffered_records',
    help: 'Records consumed and not yet committed',
    labelNames: ['function', 'partition'],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'cdnfaas_connector_inflight_batches',
    help: 'Batches being invoked',
    labelNames: ['function'],
    registers: [registry],
  });
  const inFlightLimit = new Gauge({
    name: 'cdnfaas_connector_inflight_limit',
    help: 'Batches the function can take at once (replicas x concurrency)',
    labelNames: ['function'],
    registers: [registry],
  });

  return {
    batchCommitted(fn, topic, partitions, count, outputCount, timing) {
      batches.observe({ function: fn }, timing.total);
      for (const name of stageNames) stages.observe({ function: fn, stage: stageLabel[name] }, timing[name]);
      outputs.inc({ function: fn }, outputCount);
      records.inc({ function: fn, outcome: 'committed' }, count);
      logger.debug(
        { function: fn, topic, partitions, records: count, outputs: outputCount, ...timing },
        'cycle committed',
      );
    },
    batchDropped(fn, topic, partitions, count, why) {
      logger.info(
        { function: fn, topic, partitions, records: count, why },
        'cycle dropped uncommitted; its records will be consumed again',
      );
    },
    deadLettered(fn, record, reason, by) {
      deadLetters.inc({ function: fn, rejected_by: by });
      logger.warn(
        {
          function: fn,
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          rejectedBy: by,
          reason,
        },
        'record sent to the dead-letter topic',
      );
    },
    resolveEvent(fn, event) {
      retries.inc({ function: fn, kind: event.type });
      const context = { function: fn, ...event.at, reason: event.reason };
      if (event.type === 'retry')
        logger.warn({ ...context, attempt: event.attempt, delayMs: event.delayMs }, 'batch failed; retrying');
      else if (event.type === 'split')
        logger.warn(context, 'batch keeps failing while the function is healthy; splitting it');
      else if (event.type === 'poison') logger.error(context, 'poison record isolated');
      else if (event.type === 'unhealthy')
        logger.error(
          { ...context, attempt: event.attempt, delayMs: event.delayMs },
          'function does not answer; batch waits',
        );
      else
        logger.error(
          { ...context, attempt: event.attempt, delayMs: event.delayMs },
          'records keep failing and nothing has succeeded since; waiting, not dead-lettering',
        );
    },
    publishFailed(fn, topic, partition, attempt, delayMs, error) {
      retries.inc({ function: fn, kind: 'publish' });
      const detail = error as { message?: string; type?: string };
      logger.warn(
        { function: fn, topic, partition, attempt, delayMs, error: detail.message, errorType: detail.type },
        'publishing a batch failed; retrying',
      );
    },
    workerFault(fn, topic, partition, error) {
      retries.inc({ function: fn, kind: 'fault' });
      logger.error(
        { function: fn, topic, partition, error: (error as Error).message, stack: (error as Error).stack },
        'unexpected fault in a function loop; rewinding to the committed offsets',
      );
    },
    partitionPaused(fn, topic, partition, buffered) {
      paused.inc({ function: fn });
      logger.debug({ function: fn, topic, partition, buffered }, 'partition paused: buffer full');
    },
    partitionResumed(fn, topic, partition) {
      paused.dec({ function: fn });
      logger.debug({ function: fn, topic, partition }, 'partition resumed');
    },
    buffered(fn, partition, count) {
      bufferedRecords.set({ function: fn, partition: String(partition) }, count);
    },
    inFlight(fn, inUse, capacity) {
      inFlight.set({ function: fn }, inUse);
      inFlightLimit.set({ function: fn }, capacity);
    },
  };
}
