import { tmpdir } from 'node:os';
import type { QueryApi } from '@influxdata/influxdb-client';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { clientDataMeasurement } from '../../functions/load-data/client-data-point.ts';
import { predictionMeasurement } from '../../functions/load-predictions/prediction-point.ts';
import type { SystemConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import { connectorLag } from './connector.ts';
import { createDeadLetterCounter } from './dead-letters.ts';
import { gatewayFunctions, metricsFromUrl, type FunctionSummary, type GatewayAccess } from './gateway.ts';
import { hostSource } from './host.ts';
import {
  createQueryApi,
  readPredictionWindows,
  readStoredCounts,
  type CountedMeasurement,
  type PredictionSchema,
} from './influx.ts';
import { createDashboardAdmin, readGroupsLag, readTopicOffsets } from './kafka.ts';
import { createDriftSource } from './drift.ts';
import type { DashboardSources, GroupLag } from './types.ts';
import type { Sample } from '../reducers/samples.ts';

/** The predictions measurement as functions/load-predictions writes it. */
export const predictionSchema: PredictionSchema = {
  measurement: predictionMeasurement,
  clusterField: 'prediction',
  verdictTag: 'tag',
};

/** Both measurements, counted on sample_id, which every point of each carries. */
export const countedMeasurements: CountedMeasurement[] = [
  { measurement: clientDataMeasurement, field: 'sample_id' },
  { measurement: predictionMeasurement, field: 'sample_id' },
];

/**
 * The lag monitor's report, or, while the connector does not answer, the lag read from Kafka
 * (without a commit history its status is UNKNOWN, which the page explains).
 */
function withFallback(
  primary: () => Promise<GroupLag[]>,
  fallback: (() => Promise<GroupLag[]>) | undefined,
): () => Promise<GroupLag[]> {
  if (!fallback) return primary;
  return async () => {
    try {
      return await primary();
    } catch (error) {
      try {
        return await fallback();
      } catch {
        throw error;
      }
    }
  };
}

export interface DefaultSourceOptions {
  config: SystemConfig;
  /**
   * The InfluxDB token, read on each use so a token file created later is picked up; when it
   * throws, the InfluxDB panels show why. InfluxDB panels are off without it.
   */
  influxToken?: () => string;
  /** Functions with replicas: the gateway's own provider when mounted in it, else the gateway over HTTP. */
  functions?: () => Promise<FunctionSummary[]>;
  gateway?: GatewayAccess;
  /** The runtime's metrics: the gateway's registry when mounted in it, else its /metrics URL. */
  metrics?: () => Promise<Sample[]>;
  /** The connector's HTTP port (lag monitor with Burrow-style status); without it lag is read from Kafka. */
  connectorUrl?: string;
  timeoutMs?: number;
}

/**
 * The dashboard's sources for a running system: Kafka offsets, InfluxDB, the gateway, the
 * connector's lag monitor and this host. `close()` disconnects the Kafka clients.
 */
export function createDefaultSources(options: DefaultSourceOptions): {
  sources: DashboardSources;
  close: () => Promise<void>;
} {
  const { config } = options;
  const timeoutMs = options.timeoutMs ?? 3000;
  const admin = createDashboardAdmin(kafkaConnection(config));
  const topics = config.topics.map((topic) => topic.name);
  const functions = options.functions ?? (options.gateway ? gatewayFunctions(options.gateway) : undefined);
  const metrics =
    options.metrics ??
    (options.gateway ? metricsFromUrl(new URL('/metrics', options.gateway.url).href, timeoutMs) : undefined);

  const lagFromKafka = functions
    ? async () => {
        const targets = (await functions())
          .filter((fn): fn is FunctionSummary & { topic: string } => fn.topic !== undefined)
          .map((fn) => ({ function: fn.name, groupId: groupIdFor(fn.name), topic: fn.topic }));
        return admin.use((client) => readGroupsLag(client, targets));
      }
    : undefined;
  const lag = options.connectorUrl
    ? withFallback(connectorLag(options.connectorUrl, timeoutMs), lagFromKafka)
    : lagFromKafka;

  const readToken = options.influxToken;
  let cached: { token: string; api: QueryApi } | undefined;
  const influx = (read: () => string) => {
    const token = read();
    if (cached?.token !== token)
      cached = { token, api: createQueryApi(config.influxdb.url, token, config.influxdb.org, timeoutMs) };
    return cached.api;
  };
  const deadLetters = createDeadLetterCounter(
    kafkaConnection(config),
    topics.filter((topic) => topic.endsWith('.dlq')),
  );
  // Drift needs the deployed predict's image, hence the functions.
  const drift = functions ? createDriftSource({ config, functions }) : undefined;
  const sources: DashboardSources = {
    topicOffsets: () => admin.use((client) => readTopicOffsets(client, topics)),
    deadLetters: deadLetters.counts,
    host: hostSource([config.home, config.cacheDir, tmpdir()]),
    ...(lag ? { lag } : {}),
    ...(functions ? { functions } : {}),
    ...(drift ? { drift: drift.drift } : {}),
    ...(metrics ? { metrics } : {}),
    ...(readToken
      ? {
          predictions: (windowSeconds: number, stepSeconds: number) =>
            readPredictionWindows(
              influx(readToken),
              config.influxdb.bucket,
              predictionSchema,
            )(windowSeconds, stepSeconds),
          storedCounts: () =>
            readStoredCounts(influx(readToken), config.influxdb.bucket, countedMeasurements)(),
        }
      : {}),
  };
  return {
    sources,
    close: async () => {
      await Promise.all([admin.close(), deadLetters.close(), drift?.close()]);
    },
  };
}
