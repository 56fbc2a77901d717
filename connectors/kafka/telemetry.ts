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
  batchCommitted(
    fn: string,
    topic: string,
    partition: number,
    records: number,
    outputs: number,
    timing: BatchTiming,
  ): void;
  batchDropped(fn: string, topic: string, partition: number, records: number, why: string): void;
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

/** Where a batch's time went, in seconds. */
export interface BatchTiming {
  /** Waiting for an in-flight slot of the function. */
  queued: number;
  /** Invocations, retries and bisection until every record had a verdict. */
  invoke: number;
  /** Sending outputs and dead letters and committing the offset. */
  publish: number;
  total: number;
}

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
    help: 'Time from taking a batch to committing it (invocation, retries, publish)',
    labelNames: ['function'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const stages = new Histogram({
    name: 'cdnfaas_connector_batch_stage_seconds',
    help: 'Time a batch spent queued for an in-flight slot, invoking the function, and publishing',
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
    batchCommitted(fn, topic, partition, count, outputCount, timing) {
      batches.observe({ function: fn }, timing.total);
      stages.observe({ function: fn, stage: 'queued' }, timing.queued);
      stages.observe({ function: fn, stage: 'invoke' }, timing.invoke);
      stages.observe({ function: fn, stage: 'publish' }, timing.publish);
      outputs.inc({ function: fn }, outputCount);
      records.inc({ function: fn, outcome: 'committed' }, count);
      logger.debug(
        { function: fn, topic, partition, records: count, outputs: outputCount, ...timing },
        'batch committed',
      );
    },
    batchDropped(fn, topic, partition, count, why) {
      logger.info(
        { function: fn, topic, partition, records: count, why },
        'batch dropped uncommitted; it will be consumed again',
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
        'unexpected fault in a partition worker; continuing',
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
