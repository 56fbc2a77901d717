import type { Admin } from 'kafkajs';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import type { ServiceReport } from '../../deploy/local/index.ts';
import type { SystemConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import type { DriftReport } from '../../ml/drift.ts';
import { describeFailure } from '../collector.ts';
import { createDriftSource } from '../sources/drift.ts';
import { connectorLag } from '../sources/connector.ts';
import { countedMeasurements } from '../sources/default.ts';
import { gatewayFunctions, type FunctionSummary } from '../sources/gateway.ts';
import { createQueryApi, readStoredCounts } from '../sources/influx.ts';
import { createDashboardAdmin, readGroupsLag, readTopicOffsets, type LagTarget } from '../sources/kafka.ts';
import type { ServiceRow, Section, StatusReport } from './format.ts';

export interface StatusOptions {
  config: SystemConfig;
  gatewayUrl: string;
  connectorUrl: string;
  /** The gateway's basic-auth credentials, or undefined when there are none yet. */
  credentials: () => { user: string; password: string } | undefined;
  /** The InfluxDB token; throws when it cannot be read. */
  influxToken: () => string;
  /** The local services (Kafka, InfluxDB, faas-cli) as `services status` reports them. */
  services: () => Promise<ServiceReport[]>;
  timeoutMs: number;
}

async function section<T>(read: () => Promise<T>, hint: string): Promise<Section<T>> {
  try {
    return { state: 'ok', value: await read() };
  } catch (error) {
    return { state: 'error', message: describeFailure(error), hint };
  }
}

async function answers(url: string, timeoutMs: number): Promise<string> {
  try {
    const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok ? 'answering' : `answering ${response.status}`;
  } catch (error) {
    return `not answering (${describeFailure(error)})`;
  }
}

/** Groups named like the connector's (cdnfaas-<function>) and the topics they committed on. */
async function connectorGroups(admin: Admin): Promise<LagTarget[]> {
  const { groups } = await admin.listGroups();
  const named = groups.map((g) => g.groupId).filter((id) => id.startsWith('cdnfaas-'));
  const perGroup = await Promise.all(
    named.map(async (groupId) =>
      (await admin.fetchOffsets({ groupId })).map((t) => ({
        function: groupId.slice('cdnfaas-'.length),
        groupId,
        topic: t.topic,
      })),
    ),
  );
  return perGroup.flat();
}

/** Drift of the deployed predict (dashboard/sources/drift.ts), read once. */
async function readDrift(config: SystemConfig, functions: Section<FunctionSummary[]>): Promise<DriftReport> {
  if (functions.state !== 'ok') throw new Error('the gateway does not list its functions');
  const source = createDriftSource({ config, functions: async () => functions.value });
  try {
    return await source.drift();
  } finally {
    await source.close();
  }
}

/** Reads every source of `cdnfaas status`; a source that fails is reported in its section, never thrown. */
export async function gatherStatus(options: StatusOptions): Promise<StatusReport> {
  const { config, timeoutMs } = options;
  const admin = createDashboardAdmin(kafkaConnection(config));
  const kafkaHint = 'start Kafka with `npx cdnfaas services up` (or point KAFKA_BROKERS at a running broker)';
  try {
    const credentials = options.credentials();
    const listFunctions = credentials
      ? gatewayFunctions({ url: options.gatewayUrl, ...credentials, timeoutMs })
      : async (): Promise<FunctionSummary[]> => {
          throw new Error('no gateway credentials yet');
        };
    const [services, gatewayState, connectorState, functions, topics, stored] = await Promise.all([
      section(options.services, 'run `npx cdnfaas services status` for details'),
      answers(options.gatewayUrl, timeoutMs),
      answers(options.connectorUrl, timeoutMs),
      section(
        listFunctions,
        credentials
          ? 'start it with `npm run up` or `npx cdnfaas gateway`'
          : 'the gateway creates them at its first start: `npm run up` or `npx cdnfaas gateway`',
      ),
      section(
        () =>
          admin.use((client) =>
            readTopicOffsets(
              client,
              config.topics.map((t) => t.name),
            ),
          ),
        kafkaHint,
      ),
      section(
        () =>
          readStoredCounts(
            createQueryApi(config.influxdb.url, options.influxToken(), config.influxdb.org, timeoutMs),
            config.influxdb.bucket,
            countedMeasurements,
          )(),
        'start InfluxDB with `npx cdnfaas services up` (or point INFLUX_URL at a running one)',
      ),
    ]);
    const drift: StatusReport['drift'] = {
      from: 'newest records of the input and output topics against the deployed model',
      ...(await section(
        () => readDrift(config, functions),
        'deploy predict (npm run up) and let records flow; its image must be in the local store',
      )),
    };
    let lag: StatusReport['lag'] = {
      from: `lag monitor ${options.connectorUrl}`,
      ...(await section(connectorLag(options.connectorUrl, timeoutMs), '')),
    };
    if (lag.state === 'error') {
      // Without the connector there is no commit history, hence no status; the lag itself is still in Kafka.
      const targets =
        functions.state === 'ok'
          ? async (_client: Admin) =>
              functions.value
                .filter((f) => f.topic)
                .map((f) => ({ function: f.name, groupId: groupIdFor(f.name), topic: f.topic! }))
          : connectorGroups;
      lag = {
        from: `Kafka ${config.kafka.brokers.join(',')}; no status: the connector's lag monitor does not answer`,
        ...(await section(
          () => admin.use(async (client) => readGroupsLag(client, await targets(client))),
          kafkaHint,
        )),
      };
    }
    const serviceRows: Section<ServiceRow[]> =
      services.state === 'ok'
        ? {
            state: 'ok',
            value: [
              ...services.value.map((s) => ({
                name: s.service,
                address: s.address,
                ...(s.version ? { version: s.version } : {}),
                state: s.startedByCdnfaas && s.pid !== undefined ? `${s.state} (pid ${s.pid})` : s.state,
              })),
              { name: 'gateway', address: options.gatewayUrl, state: gatewayState },
              { name: 'connector', address: options.connectorUrl, state: connectorState },
            ],
          }
        : services;
    return {
      services: serviceRows,
      functions: { from: `gateway ${options.gatewayUrl}`, ...functions },
      lag,
      stored: { from: `InfluxDB ${config.influxdb.url}, bucket ${config.influxdb.bucket}`, ...stored },
      drift,
      topics: {
        from: `Kafka ${config.kafka.brokers.join(',')}; offsets count transaction markers too`,
        ...topics,
      },
    };
  } finally {
    await admin.close();
  }
}
