import type { FastifyInstance } from 'fastify';
import type { Logger } from '../lib/logger.ts';
import type { FunctionStatus } from '../contracts/openfaas/function.ts';
import type { SystemConfig } from '../system/config.ts';
import { readInfluxQueryToken } from '../system/influx-credentials.ts';
import { registerDashboard } from './plugin.ts';
import { countedMeasurements, createDefaultSources } from './sources/default.ts';
import { metricsFromUrl, type FunctionSummary } from './sources/gateway.ts';

export interface GatewayParts {
  app: FastifyInstance;
  provider: { list(): FunctionStatus[] };
}

/** The connector's port for its lag monitor, as `cdnfaas connector` and `npm run up` use it. */
export const defaultConnectorUrl = (env: Record<string, string | undefined> = process.env) =>
  `http://127.0.0.1:${env.CONNECTOR_PORT ?? 8082}`;

/** Functions and replicas straight from the gateway's provider, with the topic each is triggered by. */
export function providerFunctions(provider: GatewayParts['provider']): () => Promise<FunctionSummary[]> {
  return async () =>
    provider
      .list()
      .map((status) => ({
        name: status.name,
        image: status.image,
        replicas: status.replicas,
        availableReplicas: status.availableReplicas,
        topic: status.annotations.topic,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Mounts the live dashboard at /ui on the gateway: functions and replicas straight from its
 * provider, its own /metrics, the connector's lag monitor, Kafka offsets, InfluxDB and this host.
 */
export function mountDashboard(
  gateway: GatewayParts,
  config: SystemConfig,
  port: number,
  logger: Logger,
): void {
  const { sources, close } = createDefaultSources({
    config,
    // The reader's credentials in secure mode: the dashboard only queries.
    influxToken: () => readInfluxQueryToken(config),
    functions: providerFunctions(gateway.provider),
    metrics: metricsFromUrl(`http://127.0.0.1:${port}/metrics`, 2000),
    connectorUrl: defaultConnectorUrl(),
  });
  registerDashboard(gateway.app, {
    sources,
    close,
    measurements: countedMeasurements.map((m) => m.measurement),
    logger: logger.child({ component: 'dashboard' }),
  });
}
