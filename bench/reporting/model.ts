// What bench/REPORT.json holds, and the ratios of each figure to the limit it stands beside. Pure.
import type { InfluxLimit } from '../limits/influx.ts';
import type { KafkaLimit } from '../limits/kafka.ts';
import type { Machine } from '../limits/machine.ts';
import type { OnnxLimit } from '../limits/onnx.ts';
import type { JavaEosAnchor } from '../anchors/java-eos.ts';
import type { AutoscalerResult } from '../scenarios/autoscaler.ts';
import type { InfluxWriteLatency } from '../scenarios/influx-write.ts';
import type { ReplayBurstResult } from '../scenarios/replay-burst.ts';
import type { HttpAutoscalingResult } from '../scenarios/http-autoscaling.ts';
import type { RollbackResult } from '../scenarios/rollback.ts';
import type { ScalingResult } from '../scenarios/scaling.ts';
import type { StageResult } from '../scenarios/stages.ts';
import type { RealTimeFigures } from './realtime.ts';

import type { Measured } from './measured.ts';

export type HttpAutoscalingFigures = HttpAutoscalingResult & { min: number; max: number; factor: number };

export interface Ratio {
  /** What the figure is compared with, in words. */
  limit: string;
  limitValue: number;
  ratio: number;
}

export interface GatewayFigures {
  directRequestsPerSecond: number;
  minimalProxyRequestsPerSecond: number;
  gatewayRequestsPerSecond: number;
  connections: number;
  overheadP50Ms: number;
  overheadP99Ms: number;
  ratios: Ratio[];
}

export interface ColdStartFigures {
  trivialMedianMs: number;
  modelMedianMs: number;
  trivialRunsMs: number[];
  modelRunsMs: number[];
}

export interface ConnectorFigures {
  exactlyOnceRecordsPerSecond?: number;
  atLeastOnceRecordsPerSecond?: number;
  kafkajsLoopExactlyOnce?: number;
  kafkajsLoopAtLeastOnce?: number;
  latencyMs?: { p50: number; p99: number; max: number; rate: number };
  ratios: Ratio[];
}

export interface PipelineFigures {
  records: number;
  endToEndRecordsPerSecond: number;
  sustainedRecordsPerSecond: number;
  latencyMs: { rate: number; p50: number; p99: number };
  ratios: Ratio[];
}

export interface StageFigures extends StageResult {
  ratios: Ratio[];
}

/** One client's echo stage (bench/anchors/echo.ts): consume, produce the same bytes, commit, exactly once. */
export interface EchoAnchorFigures {
  recordsPerSecond: number;
  commitLatencyMs: { p50: number; p99: number };
  transactions: number;
  cpuMicrosPerRecord: number;
  oneRecordLatencyMs?: number;
}

export interface Anchors {
  /** Java kafka-clients, transactional consume-transform-produce: one exactly-once hop at its best. */
  javaEos: Measured<JavaEosAnchor>;
  echoKafkajs: Measured<EchoAnchorFigures>;
  echoLibrdkafka: Measured<EchoAnchorFigures>;
}

export interface BenchReport {
  at: string;
  seconds: number;
  machine: Machine;
  limits: {
    kafka: Measured<KafkaLimit>;
    /** Writes of cdn_client_data points (load-data's lines). */
    influxdb: Measured<InfluxLimit>;
    /** Writes of predictions points (load-predictions' lines: fewer fields, low-cardinality tags). */
    influxdbPredictions: Measured<InfluxLimit>;
    onnxruntime: Measured<OnnxLimit>;
  };
  gateway: Measured<GatewayFigures>;
  coldStart: Measured<ColdStartFigures>;
  connector: Measured<ConnectorFigures>;
  /** Read by `cdnfaas k8s capacity`: stages.<function>.recordsPerSecondPerReplica. */
  stages: Record<string, Measured<StageFigures>>;
  pipeline: Measured<PipelineFigures>;
  autoscaler: Measured<AutoscalerResult>;
  rollback: Measured<RollbackResult>;
  /** A function called over HTTP, scaled by the gateway's APIHighInvocationRate rule. */
  httpAutoscaling: Measured<HttpAutoscalingFigures>;
  /** The figures from bench/out/pipeline.json: latency, throughput, CPU, stage budget. */
  realTime: RealTimeFigures;
  /** One InfluxDB write of a loader cycle's size, per loader (the budget's InfluxDB row). */
  influxWrite: Record<string, Measured<InfluxWriteLatency>>;
  replayBurst: Measured<ReplayBurstResult>;
  anchors: Anchors;
  scaling: Measured<ScalingResult>;
}

export function ratio(value: number, limit: string, limitValue: number | undefined): Ratio[] {
  return limitValue === undefined || !(limitValue > 0)
    ? []
    : [{ limit, limitValue, ratio: value / limitValue }];
}

/** The limits as plain numbers, undefined where a limit is missing. */
export interface LimitValues {
  kafkaPassThrough?: number;
  influxSequential?: number;
  influxParallel?: number;
  influxPredictionsSequential?: number;
  influxPredictionsParallel?: number;
  onnxRaw?: number;
}

export function limitValues(limits: BenchReport['limits']): LimitValues {
  return {
    kafkaPassThrough:
      limits.kafka.status === 'measured' ? limits.kafka.passThroughRecordsPerSecond : undefined,
    influxSequential:
      limits.influxdb.status === 'measured' ? limits.influxdb.sequentialPointsPerSecond : undefined,
    influxParallel:
      limits.influxdb.status === 'measured' ? limits.influxdb.parallelPointsPerSecond : undefined,
    influxPredictionsSequential:
      limits.influxdbPredictions.status === 'measured'
        ? limits.influxdbPredictions.sequentialPointsPerSecond
        : undefined,
    influxPredictionsParallel:
      limits.influxdbPredictions.status === 'measured'
        ? limits.influxdbPredictions.parallelPointsPerSecond
        : undefined,
    onnxRaw: limits.onnxruntime.status === 'measured' ? limits.onnxruntime.rawRowsPerSecond : undefined,
  };
}

/** A stage beside what bounds it: Kafka for the topic stages (and ONNX for predict), InfluxDB for the loaders. */
export function stageRatios(stage: StageResult, limits: LimitValues): Ratio[] {
  const rate = stage.recordsPerSecondPerReplica;
  if (stage.function === 'provide') return ratio(rate, 'Kafka pass-through (kcat)', limits.kafkaPassThrough);
  if (stage.function === 'predict')
    return [
      ...ratio(rate, 'Kafka pass-through (kcat)', limits.kafkaPassThrough),
      ...ratio(rate, 'onnxruntime raw rows/s', limits.onnxRaw),
    ];
  if (stage.function === 'load-predictions')
    return ratio(
      rate,
      'InfluxDB writes of predictions points, one request in flight',
      limits.influxPredictionsSequential,
    );
  return ratio(
    rate,
    'InfluxDB writes of cdn_client_data points, one request in flight',
    limits.influxSequential,
  );
}

/**
 * The whole pipeline beside each limit it meets: every record crosses Kafka four times
 * (raw, data, storage, result), is one ONNX row and two InfluxDB points.
 */
export function pipelineRatios(rate: number, limits: LimitValues): Ratio[] {
  return [
    ...ratio(
      rate,
      'Kafka pass-through / 4 topic hops',
      limits.kafkaPassThrough === undefined ? undefined : limits.kafkaPassThrough / 4,
    ),
    // One point of each kind per record: the time of one is the sum of the two per-point times.
    ...ratio(
      rate,
      'InfluxDB writes (parallel) of one point of each kind',
      limits.influxParallel === undefined || limits.influxPredictionsParallel === undefined
        ? undefined
        : 1 / (1 / limits.influxParallel + 1 / limits.influxPredictionsParallel),
    ),
    ...ratio(rate, 'onnxruntime raw rows/s', limits.onnxRaw),
  ];
}
