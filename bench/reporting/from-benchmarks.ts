// The figures of the other benchmarks (their bench/out/*.json) in the report's terms, beside the
// limits. Pure: a JSON object in, figures out; a missing key is a missing figure, not a zero.
import {
  ratio,
  pipelineRatios,
  type ColdStartFigures,
  type ConnectorFigures,
  type GatewayFigures,
  type LimitValues,
  type PipelineFigures,
} from './model.ts';

import type { Json, Measured } from './measured.ts';

const missing = (reason: string) => ({ status: 'missing' as const, reason });

export function gatewayFigures(json: Json): Measured<GatewayFigures> {
  const phases = (json.phases ?? []) as Json[];
  // The most connections: where the gateway's own cost shows most.
  const phase = phases.reduce<Json | undefined>(
    (best, entry) => (best === undefined || entry.connections > best.connections ? entry : best),
    undefined,
  );
  if (phase === undefined || phase.gateway === undefined || phase.direct === undefined)
    return missing('bench/out/gateway.json has no phases');
  const gateway = phase.gateway.requestsPerSecond as number;
  return {
    status: 'measured',
    connections: phase.connections,
    directRequestsPerSecond: phase.direct.requestsPerSecond,
    minimalProxyRequestsPerSecond: phase.minimalProxy?.requestsPerSecond ?? Number.NaN,
    gatewayRequestsPerSecond: gateway,
    overheadP50Ms: phase.overheadP50Ms,
    overheadP99Ms: phase.overheadP99Ms,
    ratios: [
      ...ratio(gateway, 'the replica called directly', phase.direct.requestsPerSecond),
      ...ratio(gateway, 'a minimal pass-through proxy', phase.minimalProxy?.requestsPerSecond),
    ],
  };
}

export function coldStartFigures(json: Json): Measured<ColdStartFigures> {
  const cold = json.coldStartMs as Json | undefined;
  if (cold?.trivialMedian === undefined) return missing('bench/out/gateway.json has no cold start figures');
  return {
    status: 'measured',
    trivialMedianMs: cold.trivialMedian,
    modelMedianMs: cold.modelMedian,
    trivialRunsMs: cold.trivial ?? [],
    modelRunsMs: cold.model ?? [],
  };
}

export function connectorFigures(json: Json, limits: LimitValues): Measured<ConnectorFigures> {
  if (json.connectorExactlyOnce === undefined && json.latency === undefined)
    return missing('bench/out/connector.json has neither throughput nor latency');
  const figures: ConnectorFigures = { ratios: [] };
  if (json.connectorExactlyOnce !== undefined) {
    Object.assign(figures, {
      exactlyOnceRecordsPerSecond: json.connectorExactlyOnce,
      atLeastOnceRecordsPerSecond: json.connectorAtLeastOnce,
      kafkajsLoopExactlyOnce: json.loopExactlyOnce,
      kafkajsLoopAtLeastOnce: json.loopAtLeastOnce,
    });
    figures.ratios = [
      ...ratio(json.connectorExactlyOnce, 'Kafka pass-through (kcat)', limits.kafkaPassThrough),
      ...ratio(
        json.connectorExactlyOnce,
        'a kafkajs consume-produce loop, exactly once',
        json.loopExactlyOnce,
      ),
      ...ratio(
        json.connectorAtLeastOnce,
        'a kafkajs consume-produce loop, at least once',
        json.loopAtLeastOnce,
      ),
    ];
  }
  if (json.latency !== undefined)
    figures.latencyMs = {
      p50: json.latency.p50,
      p99: json.latency.p99,
      max: json.latency.max,
      rate: json.steadyRate,
    };
  return { status: 'measured', ...figures };
}

export function pipelineFigures(json: Json, limits: LimitValues): Measured<PipelineFigures> {
  const throughput = json.throughput as Json | undefined;
  if (throughput?.endToEndRate === undefined)
    return missing('bench/out/pipeline.json has no throughput phase');
  return {
    status: 'measured',
    records: throughput.records,
    endToEndRecordsPerSecond: throughput.endToEndRate,
    sustainedRecordsPerSecond: throughput.sustainedRate,
    latencyMs: {
      rate: json.latency?.rate ?? Number.NaN,
      p50: json.latency?.p50 ?? Number.NaN,
      p99: json.latency?.p99 ?? Number.NaN,
    },
    ratios: pipelineRatios(throughput.endToEndRate, limits),
  };
}
