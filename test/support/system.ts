/**
 * The whole cdnfaas system for one test (or benchmark) run: the project's stack built into a
 * fresh cdnfaas home, `cdnfaas gateway` and `cdnfaas connector` as separate processes on free
 * ports (started the way `npm run up` starts them), the four functions deployed and ready,
 * against the Kafka and InfluxDB of the integration setup (system config; KAFKA_BROKERS and
 * INFLUX_URL override it).
 *
 * Isolation: every run gets its own names, so concurrent runs on the same brokers never meet.
 *   - topics: `<id>.cdn_raw`, `<id>.cdn_data`, ... and their `.dlq` (created here, deleted on stop);
 *   - functions: `provide-<id>`, ... so the connector's consumer groups (`cdnfaas-<function>`)
 *     are the run's own;
 *   - InfluxDB: database `cdnfaas_<id>` (created here, dropped on stop).
 * `system.topic('cdn_raw')` and `system.functions.provide` give the real names.
 *
 * Clean-up: `stop()` stops the connector (it drains), then the gateway (it stops its replicas),
 * then removes topics, groups, database and home; set KEEP_TEST_HOME=1 to keep them for a look.
 * A failed start stops whatever it had started, and the processes are signalled if this
 * process exits without calling stop().
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { backgroundPaths, startBackground, stopBackground } from '../../deploy/local/pipeline/background.ts';
import {
  deployFunction,
  upsertSecret,
  waitForReady,
  type GatewayAccess,
} from '../../deploy/local/pipeline/deploy-stack.ts';
import { readStoredCounts, type StoredCounts } from '../../deploy/local/pipeline/stored.ts';
import { readRecord } from '../../deploy/local/processes.ts';
import { createKafka } from '../../lib/kafka.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import type { RawRecord } from '../../contracts/raw-record.ts';
import { freePort } from '../../lib/ports.ts';
import { buildStack, modelImageEnv } from '../../runtime/build/index.ts';
import { ensureCredentials } from '../../runtime/gateway/credentials.ts';
import { loadStackFile } from '../../runtime/stack/stack-file.ts';
import { replay, type ReplayResult } from '../../simulator/replay.ts';
import type { PlanOptions } from '../../simulator/replay-plan.ts';
import { loadConfig, projectRoot, type SystemConfig } from '../../system/config.ts';
import { readTopic, type ConsumedRecord } from '../connector/support/kafka.ts';
import {
  createRunDatabase,
  influxQuery,
  isolateFunction,
  pipelineLag,
  requireModel,
  runIdentity,
  tokenForTests,
  waitForStored,
  type StageLag,
} from './system-parts.ts';

export type { StageLag } from './system-parts.ts';

export interface SystemOptions {
  /** A few lowercase letters naming the run in topics, functions and the database. Default `sys`. */
  label?: string;
  /** Default: the project's stack.yml. */
  stackFile?: string;
  /** Extra environment per function of the stack (by its stack.yml name), e.g. an INFLUX_URL. */
  functionEnv?: Record<string, Record<string, string>>;
  /** Run the connector's lag autoscaler, as `npm run up` does. Default true. */
  autoscale?: boolean;
  /** Progress lines (start steps); default silent. */
  log?: (line: string) => void;
}

export interface DeadLetter {
  value: string;
  reason: string;
  headers: Record<string, string>;
}

export interface RunningSystem {
  id: string;
  home: string;
  /** This run's configuration: its home, gateway port and InfluxDB database as bucket. */
  config: SystemConfig;
  gatewayUrl: string;
  connectorUrl: string;
  credentials: GatewayAccess;
  /** Stack name -> deployed function name (`provide` -> `provide-<id>`). */
  functions: Record<string, string>;
  /** Kafka client and admin on the run's brokers (closed by stop). */
  kafka: Kafka;
  admin: Admin;
  /** The run's name of a system topic: `topic('cdn_raw')` -> `<id>.cdn_raw`. */
  topic(name: string): string;
  /** Publishes records to the run's cdn_raw with `cdnfaas replay`'s code (idempotent producer). */
  replay(
    records: readonly RawRecord[],
    options?: PlanOptions & { chunkSize?: number; onProgress?: (sent: number, total: number) => void },
  ): Promise<ReplayResult>;
  /** Produces values as they are (any bytes, e.g. text that is not JSON) to a topic of the run. */
  produceRaw(values: (string | Buffer)[], topic?: string): Promise<void>;
  /** Points in cdn_client_data and predictions of the run's database. */
  counts(): Promise<StoredCounts>;
  /**
   * Waits until both measurements hold `expected` points and every function's consumer group has
   * consumed its topic to the end, then counts again; throws TIMEOUT with counts and lags when
   * the deadline passes first.
   */
  waitForStored(
    expected: number,
    options?: { timeoutMs?: number; onChange?: (counts: StoredCounts) => void },
  ): Promise<StoredCounts>;
  /** Lag of each function's consumer group, read from Kafka. */
  lag(): Promise<StageLag[]>;
  /** InfluxQL on the run's database: rows as objects. */
  query(influxql: string): Promise<Record<string, unknown>[]>;
  /** Reads a run topic from the start, read_committed, until `expected` records and a quiet second. */
  readTopic(name: string, expected: number, timeoutMs?: number): Promise<ConsumedRecord[]>;
  /** The dead letters of `<topic>.dlq` with their reason header. */
  deadLetters(name: string, expected: number, timeoutMs?: number): Promise<DeadLetter[]>;
  /** Process ids of the gateway (parent of the replicas) and the connector, for fault injection. */
  pids(): { gateway?: number; connector?: number };
  /** Stops the connector (SIGTERM: it finishes and commits its batches) and starts it again. */
  restartConnector(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const log = options.log ?? (() => undefined);
  const base = loadConfig();
  const { id, database } = runIdentity(options.label ?? 'sys');
  const home = mkdtempSync(join(tmpdir(), `cdnfaas-${id}-`));
  const [gatewayPort, connectorPort] = [await freePort(), await freePort()];
  const token = tokenForTests(base);
  const tokenFile = join(home, 'secrets', 'influxdb-token');
  mkdirSync(join(home, 'secrets'), { recursive: true });
  writeFileSync(tokenFile, token, { mode: 0o600 });
  // Everything the gateway, the connector and the stack read from the environment.
  const env: Record<string, string> = {
    CDNFAAS_HOME: home,
    GATEWAY_PORT: String(gatewayPort),
    KAFKA_BROKERS: base.kafka.brokers.join(','),
    INFLUX_URL: base.influxdb.url,
    INFLUX_ORG: base.influxdb.org,
    INFLUX_BUCKET: database,
    INFLUX_TOKEN_FILE: tokenFile,
  };
  const config = loadConfig({ env: { ...process.env, ...env } });
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const connectorUrl = `http://127.0.0.1:${connectorPort}`;
  const kafka = createKafka(kafkaConnection(config), { clientId: `cdnfaas-system-${id}` });
  const admin = kafka.admin();
  requireModel();
  const stackFile = options.stackFile ?? join(projectRoot, 'stack.yml');
  // predict's tag and model annotation name the installed model, as `npm run up` builds them.
  const stackEnv = modelImageEnv(stackFile, { ...process.env, ...env });
  const stack = loadStackFile(stackFile, { env: stackEnv });
  const deployed = stack.functions.map((fn) => isolateFunction(fn, id, options.functionEnv?.[fn.name]));
  const functions = Object.fromEntries(stack.functions.map((fn, i) => [fn.name, deployed[i]!.name]));
  const topicNames = config.topics.map((topic) => ({ ...topic, name: `${id}.${topic.name}` }));
  const topic = (name: string) => `${id}.${name}`;

  // Should this process end without stop(), the detached gateway and connector must not outlive it.
  const killOnExit = () => {
    for (const name of ['connector', 'gateway'] as const) {
      const record = readRecord(backgroundPaths(config, name));
      if (record) process.kill(record.pid, 'SIGTERM');
    }
  };
  process.once('exit', killOnExit);

  let stopped = false;
  async function stop(keepHome = false): Promise<void> {
    if (stopped) return;
    stopped = true;
    const failures: string[] = [];
    const attempt = async (what: string, step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (error) {
        failures.push(`${what}: ${(error as Error).message}`);
      }
    };
    await attempt('connector', () => stopBackground(config, 'connector'));
    await attempt('gateway', () => stopBackground(config, 'gateway'));
    process.removeListener('exit', killOnExit);
    if (process.env.KEEP_TEST_HOME === undefined) {
      await attempt('topics', () => admin.deleteTopics({ topics: topicNames.map((t) => t.name) }));
      await attempt('groups', () => admin.deleteGroups(deployed.map((fn) => groupIdFor(fn.name))));
      await attempt('database', () => influxQuery(config, token, `DROP DATABASE "${database}"`));
      if (!keepHome) rmSync(home, { recursive: true, force: true });
    } else log(`kept ${home}, topics ${id}.*, database ${database}`);
    await attempt('kafka admin', () => admin.disconnect());
    if (failures.length > 0) log(`clean-up of ${id} incomplete: ${failures.join('; ')}`);
  }

  try {
    log(`system ${id}: topics, database, build`);
    await admin.connect();
    await admin.createTopics({
      topics: topicNames.map((t) => ({ topic: t.name, numPartitions: t.partitions })),
      waitForLeaders: true,
    });
    await createRunDatabase(config, token, database);
    await buildStack({ stackFile: stack.file, config, env: stackEnv, checkModels: true });

    log(`system ${id}: gateway on ${gatewayUrl}, deploy`);
    const credentials = ensureCredentials(home);
    await startBackground(config, {
      name: 'gateway',
      args: ['gateway', '--port', String(gatewayPort)],
      healthUrl: `${gatewayUrl}/healthz`,
      env,
    });
    const access: GatewayAccess = { url: gatewayUrl, user: credentials.user, password: credentials.password };
    if (deployed.some((fn) => fn.secrets.includes('influxdb-token')))
      await upsertSecret(access, 'influxdb-token', token);
    for (const fn of deployed) await deployFunction(access, fn);
    await waitForReady(
      access,
      deployed.map((fn) => fn.name),
      90_000,
    );

    log(`system ${id}: connector on ${connectorUrl}`);
    const connectorArgs = ['connector', '--port', String(connectorPort), '--gateway', gatewayUrl];
    if (options.autoscale === false) connectorArgs.push('--no-autoscale');
    const startConnector = () =>
      startBackground(config, {
        name: 'connector',
        args: connectorArgs,
        healthUrl: `${connectorUrl}/healthz`,
        env,
      });
    await startConnector();

    const stages = deployed.map((fn) => ({
      function: fn.name,
      groupId: groupIdFor(fn.name),
      topic: fn.annotations.topic!,
    }));
    return {
      id,
      home,
      config,
      gatewayUrl,
      connectorUrl,
      credentials: access,
      functions,
      kafka,
      admin,
      topic,
      replay: (records, replayOptions = {}) =>
        replay(records, { ...replayOptions, kafka: kafkaConnection(config), topic: topic('cdn_raw') }),
      async produceRaw(values, name = 'cdn_raw') {
        const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
        await producer.connect();
        try {
          await producer.send({ topic: topic(name), acks: -1, messages: values.map((value) => ({ value })) });
        } finally {
          await producer.disconnect();
        }
      },
      counts: () => readStoredCounts(config),
      waitForStored: (expected, waitOptions = {}) =>
        waitForStored(config, admin, stages, expected, waitOptions),
      lag: () => pipelineLag(admin, stages),
      query: (influxql) => influxQuery(config, token, influxql, database),
      readTopic: (name, expected, timeoutMs) => readTopic(kafka, topic(name), expected, timeoutMs, 1_000),
      async deadLetters(name, expected, timeoutMs) {
        const records = await readTopic(kafka, `${topic(name)}.dlq`, expected, timeoutMs, 1_000);
        return records.map((record) => ({
          value: record.value?.toString('utf8') ?? '',
          reason: record.headers['cdnfaas-reason'] ?? '',
          headers: record.headers,
        }));
      },
      pids: () => ({
        gateway: readRecord(backgroundPaths(config, 'gateway'))?.pid,
        connector: readRecord(backgroundPaths(config, 'connector'))?.pid,
      }),
      async restartConnector() {
        await stopBackground(config, 'connector');
        await startConnector();
      },
      stop: () => stop(),
    };
  } catch (error) {
    log(`system ${id} failed to start (logs kept in ${home}): ${(error as Error).message}`);
    await stop(true);
    throw error;
  }
}
