import { hostname } from 'node:os';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../../lib/logger.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import { createKafka, kafkaRetry, type KafkaConnection } from '../../lib/kafka.ts';
import { Autoscaler } from '../../scaling/autoscaler/autoscaler.ts';
import { LagMonitor } from '../../scaling/lag/monitor.ts';
import { Connector } from './connector.ts';
import type { CredentialSource } from './credentials.ts';
import { createGatewayClient } from './gateway-client.ts';
import type { RetryPolicy } from '../../lib/backoff.ts';
import { defaultRetryPolicy } from './retry.ts';
import { chooseFeed, type KafkaClientChoice } from './kafka-client-choice.ts';
import { buildServer } from './server.ts';
import { createTelemetry } from './telemetry.ts';

export interface ConnectorServiceOptions {
  /** Kafka's brokers and, in secure mode, TLS and SASL (system/kafka-connection.ts). */
  kafka: KafkaConnection;
  /** The Kafka client of the functions' hot path (default `auto`: librdkafka where it can serve). */
  kafkaClient?: KafkaClientChoice;
  gatewayUrl: string;
  credentials: CredentialSource;
  logger: Logger;
  /** The connector's HTTP port (health, metrics, lag); 0 picks a free one. */
  port: number;
  host?: string;
  /** Run the lag autoscaler in this process (off where KEDA scales, e.g. on Kubernetes). */
  autoscale: boolean;
  discoveryIntervalMs?: number;
  lagIntervalMs?: number;
  lagWindow?: number;
  autoscaleIntervalMs?: number;
  stuckAfterMs?: number;
  shutdownGraceMs?: number;
  attemptsBeforeSplit?: number;
  policy?: RetryPolicy;
  /**
   * Names this instance in its transactional ids (default: host name and port). Two live
   * instances must differ; the same instance after a restart should not, so that it fences
   * its earlier incarnation at once instead of waiting for that one's transactions to time out.
   */
  instanceId?: string;
}

export interface ConnectorService {
  url: string;
  connector: Connector;
  monitor: LagMonitor;
  autoscaler: Autoscaler | undefined;
  stop(): Promise<void>;
}

let servicesInProcess = 0;

/**
 * The host name and the port, stable across restarts. Without a fixed port (0) the process id,
 * and a count, since two connectors in one process would otherwise share transactional ids and
 * fence each other.
 */
function defaultInstanceId(port: number): string {
  servicesInProcess += 1;
  return `${hostname()}-${port === 0 ? `pid${process.pid}-${servicesInProcess}` : port}`;
}

/** The composition root: Kafka, gateway client, connector, lag monitor, autoscaler, HTTP port. */
export async function startConnectorService(options: ConnectorServiceOptions): Promise<ConnectorService> {
  const { logger } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cdnfaas_connector_' });
  const kafka = createKafka(options.kafka, {
    clientId: 'cdnfaas-connector',
    logger,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: kafkaRetry.connector,
  });
  const admin = kafka.admin({ retry: { retries: 3 } });
  try {
    await admin.connect();
  } catch (error) {
    throw new CdnfaasError(
      'SERVICE_UNREACHABLE',
      `Kafka at ${options.kafka.brokers.join(',')} did not answer: ${(error as Error).message}`,
      {
        hint: 'start it with `npx cdnfaas services up`, or point KAFKA_BROKERS at a running broker',
        cause: error,
      },
    );
  }
  const gateway = createGatewayClient({ url: options.gatewayUrl, credentials: options.credentials });
  const connector = new Connector({
    feedFor: chooseFeed(options.kafkaClient ?? 'auto', options.kafka, { kafka, admin }, logger),
    admin,
    gateway,
    telemetry: createTelemetry(logger, registry),
    logger,
    policy: options.policy ?? defaultRetryPolicy,
    attemptsBeforeSplit: options.attemptsBeforeSplit ?? 2,
    discoveryIntervalMs: options.discoveryIntervalMs ?? 3_000,
    shutdownGraceMs: options.shutdownGraceMs ?? 15_000,
    instanceId: options.instanceId ?? defaultInstanceId(options.port),
  });
  const monitor = new LagMonitor({
    admin,
    logger,
    registry,
    targets: () => connector.targets(),
    intervalMs: options.lagIntervalMs ?? 2_000,
    windowSize: options.lagWindow ?? 15,
  });
  const autoscaler = options.autoscale
    ? new Autoscaler({
        gateway,
        lag: (groupId) => monitor.report(groupId),
        logger: logger.child({ component: 'autoscaler' }),
        registry,
        intervalMs: options.autoscaleIntervalMs ?? 2_000,
        stuckAfterMs: options.stuckAfterMs ?? 30_000,
      })
    : undefined;

  let stopping = false;
  const server = buildServer({
    registry,
    health: () => ({
      ok: !stopping,
      detail: {
        functions: connector.snapshot().length,
        lastDiscovery: connector.lastSync?.toISOString() ?? null,
        autoscaler: autoscaler !== undefined,
      },
    }),
    functions: () => connector.snapshot(),
    lag: () => monitor.reports(),
    scaling: () => autoscaler?.snapshot(),
  });
  let url: string;
  try {
    url = await server.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    await admin.disconnect();
    const code = (error as NodeJS.ErrnoException).code;
    throw new CdnfaasError(
      code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'INTERNAL',
      `connector could not listen on port ${options.port}: ${(error as Error).message}`,
      {
        hint: 'pick another port with --port, or stop the process using it',
        cause: error,
      },
    );
  }
  connector.start();
  monitor.start();
  autoscaler?.start();
  logger.info(
    { url, gateway: options.gatewayUrl, brokers: options.kafka.brokers, autoscale: options.autoscale },
    'connector started',
  );

  return {
    url,
    connector,
    monitor,
    autoscaler,
    async stop() {
      if (stopping) return;
      stopping = true;
      logger.info('connector stopping: finishing batches in flight');
      await autoscaler?.stop();
      await connector.stop();
      await monitor.stop();
      await server.close();
      await gateway.close();
      await admin.disconnect();
      logger.info('connector stopped');
    },
  };
}
