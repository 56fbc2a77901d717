import type { Admin } from 'kafkajs';
import { Registry } from 'prom-client';
import { createTelemetry } from '../../../connectors/kafka/telemetry.ts';
import { clientDataPoint } from '../../../functions/load-data/client-data-point.ts';
import { predictionPoint } from '../../../functions/load-predictions/prediction-point.ts';
import type { PointSpec } from '../../../functions/shared/point.ts';
import { clientDataRecord } from '../../../functions/shared/testing.ts';
import { createLogger } from '../../../lib/logger.ts';
import { Autoscaler } from '../../../scaling/autoscaler/autoscaler.ts';
import { GatewayMetrics } from '../../../runtime/gateway/metrics.ts';
import { LagMonitor } from '../../../scaling/lag/monitor.ts';

/**
 * What the running system actually writes, read from the code that writes it rather than
 * restated: the loaders' point builders for InfluxDB, the services' prom-client registrations
 * for Prometheus. Dashboards are checked against these names.
 */
export interface MeasurementNames {
  measurement: string;
  tags: string[];
  fields: string[];
}

export interface MetricNames {
  name: string;
  type: string;
  labels: string[];
}

function namesOf(point: PointSpec): MeasurementNames {
  return {
    measurement: point.measurement,
    tags: Object.keys(point.tags).sort(),
    fields: [...Object.keys(point.intFields), ...Object.keys(point.stringFields)].sort(),
  };
}

/** The measurements the loaders write, from their point builders applied to a sample record. */
export function writtenMeasurements(): MeasurementNames[] {
  const sampleId = '6f1c9a52-3c1e-4f1e-9a55-0c6d3f1e2a10';
  return [
    namesOf(clientDataPoint(clientDataRecord({ sample_id: sampleId }))),
    namesOf(
      predictionPoint(
        {
          sample_id: sampleId,
          prediction_timestamp: '2026-01-01T00:00:00.000Z',
          prediction: 3,
          tag: 'normal',
          pipeline_type: 'kmeans@1',
        },
        undefined,
      ),
    ),
  ];
}

/** Every metric the gateway, the connector, its lag monitor and the autoscaler register. */
export async function writtenMetrics(): Promise<MetricNames[]> {
  const registry = new Registry();
  const quiet = createLogger({ service: 'names', level: 'silent' });
  const gateway = new GatewayMetrics({ list: () => [] });
  createTelemetry(quiet, registry);
  new LagMonitor({
    admin: {} as Admin,
    logger: quiet,
    registry,
    targets: () => [],
    intervalMs: 1000,
    windowSize: 2,
  });
  new Autoscaler({ registry, logger: quiet, intervalMs: 1000 } as unknown as ConstructorParameters<
    typeof Autoscaler
  >[0]);
  const metrics = [...gateway.registry.getMetricsAsArray(), ...registry.getMetricsAsArray()];
  return metrics.map((metric) => {
    const raw = metric as unknown as { name: string; type: string; labelNames?: string[] };
    return { name: raw.name, type: raw.type, labels: [...(raw.labelNames ?? [])].sort() };
  });
}
