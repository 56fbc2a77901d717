import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';
import {
  credentialsFromDirectory,
  basicAuthHeader,
  type CredentialSource,
} from '../../../connectors/kafka/credentials.ts';
import { createKafka, kafkaRetry } from '../../../lib/kafka.ts';
import { kafkaConnection } from '../../../system/kafka-connection.ts';
import {
  startConnectorService,
  type ConnectorService,
  type ConnectorServiceOptions,
} from '../../../connectors/kafka/service.ts';
import { createLogger, type Logger } from '../../../lib/logger.ts';
import type { KafkaClientChoice } from '../../../connectors/kafka/kafka-client-choice.ts';
import { buildStack } from '../../../runtime/build/index.ts';
import { createGateway, listenGateway, type Gateway } from '../../../runtime/gateway/server.ts';
import { LocalImageStore } from '../../../runtime/images/store.ts';
import { loadConfig, projectRoot } from '../../../system/config.ts';

export const stageStack = join(projectRoot, 'test/connector/fixtures/stack.connector.yml');
export const echoStack = join(projectRoot, 'test/fixtures/stack.echo.yml');

export interface DeployOptions {
  name: string;
  image: string;
  annotations: Record<string, string>;
  labels?: Record<string, string>;
  envVars?: Record<string, string>;
}

/**
 * A real gateway with its process provider in a temporary cdnfaas home, the functions built
 * into its image store, and a Kafka client for the brokers the integration setup provides.
 * Everything the connector meets here is real: HTTP, child processes, Kafka.
 */
export interface Harness {
  home: string;
  gatewayUrl: string;
  gateway: Gateway;
  credentials: CredentialSource;
  kafka: Kafka;
  admin: Admin;
  brokers: string[];
  logger: Logger;
  logFile: string;
  system(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  deploy(options: DeployOptions): Promise<void>;
  remove(name: string): Promise<void>;
  /** Current replica count and ready replicas as the gateway reports them. */
  replicas(name: string): Promise<{ replicas: number; availableReplicas: number }>;
  waitForReady(name: string, count: number, timeoutMs?: number): Promise<void>;
  /** SIGKILLs one running replica process of the function; returns its pid. */
  killReplica(name: string): number | undefined;
  startConnector(options?: Partial<ConnectorServiceOptions>): Promise<ConnectorService>;
  /** The JSON lines the gateway, the replicas and the connector wrote to the log file so far. */
  logLines(): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startHarness(build: { stack: string; function: string }[]): Promise<Harness> {
  const home = mkdtempSync(join(tmpdir(), 'cdnfaas-connector-'));
  const logFile = join(home, 'test.log');
  const logger = createLogger({
    service: 'connector-test',
    level: process.env.LOG_LEVEL ?? 'info',
    destination: createWriteStream(logFile),
  });
  const store = new LocalImageStore(join(home, 'images'));
  for (const entry of build)
    await buildStack({ stackFile: entry.stack, filter: entry.function, config: { home }, store });
  const gateway = createGateway({
    home,
    projectRoot,
    images: store,
    logger: logger.child({ component: 'gateway' }),
    provider: { backoff: { initialMs: 100, maxMs: 1_000, resetAfterMs: 3_000 }, maxReplicas: 8 },
  });
  const gatewayUrl = await listenGateway(gateway, '127.0.0.1', 0);
  const credentials = credentialsFromDirectory(gateway.credentialFiles.dir);
  const connection = kafkaConnection(loadConfig());
  const kafka = createKafka(connection, {
    clientId: 'cdnfaas-connector-test',
    logger: logger.child({ component: 'test-kafka' }),
    retry: kafkaRetry.connector,
  });
  const admin = kafka.admin();
  await admin.connect();
  const services: ConnectorService[] = [];

  async function system(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    return fetch(`${gatewayUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: basicAuthHeader(credentials()!), 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  async function replicas(name: string): Promise<{ replicas: number; availableReplicas: number }> {
    const response = await system(`/system/function/${name}`);
    if (response.status !== 200)
      throw new Error(`GET /system/function/${name}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { replicas: number; availableReplicas: number };
  }

  return {
    home,
    gatewayUrl,
    gateway,
    credentials,
    kafka,
    admin,
    brokers: connection.brokers,
    logger,
    logFile,
    system,
    logLines: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async deploy(options) {
      const response = await system('/system/functions', {
        method: 'POST',
        body: {
          service: options.name,
          image: options.image,
          annotations: options.annotations,
          labels: options.labels ?? {},
          envVars: options.envVars ?? {},
        },
      });
      if (response.status >= 300)
        throw new Error(`deploy ${options.name}: ${response.status} ${await response.text()}`);
    },
    async remove(name) {
      const response = await system('/system/functions', { method: 'DELETE', body: { functionName: name } });
      if (response.status >= 300)
        throw new Error(`delete ${name}: ${response.status} ${await response.text()}`);
    },
    replicas,
    async waitForReady(name, count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((await replicas(name)).availableReplicas >= count) return;
        await sleep(100);
      }
      throw new Error(`${name} did not get ${count} ready replicas in ${timeoutMs} ms`);
    },
    killReplica(name) {
      // Prefer a replica with calls in flight: the kill is meant to break a batch mid-way.
      const states = gateway.provider.replicas(name).filter((replica) => replica.state === 'ready');
      const busy = states.filter((replica) => replica.inFlight > 0);
      const pool = busy.length > 0 ? busy : states;
      const victim = pool[Math.floor(Math.random() * pool.length)];
      const pid = victim === undefined ? undefined : replicaPid(name, victim.instance);
      if (pid === undefined) return undefined;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return undefined;
      }
      return pid;
    },
    async startConnector(options = {}) {
      const service = await startConnectorService({
        kafka: connection,
        gatewayUrl,
        credentials,
        logger: logger.child({ component: 'connector' }),
        port: 0,
        autoscale: false,
        discoveryIntervalMs: 500,
        lagIntervalMs: 500,
        lagWindow: 8,
        autoscaleIntervalMs: 500,
        // CONNECTOR_KAFKA_CLIENT=kafkajs runs these tests on the other client, as it does the CLI
        ...(process.env.CONNECTOR_KAFKA_CLIENT
          ? { kafkaClient: process.env.CONNECTOR_KAFKA_CLIENT as KafkaClientChoice }
          : {}),
        ...options,
      });
      services.push(service);
      return service;
    },
    async close() {
      for (const service of services) await service.stop().catch(() => undefined);
      await gateway.stop();
      await admin.disconnect();
      if (process.env.KEEP_TEST_HOME === undefined) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The pid of a replica process (a child of this process, which runs the provider), by its instance name. */
function replicaPid(name: string, instance: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`CDNFAAS_FUNCTION=${name}`) && environ.includes(`CDNFAAS_REPLICA=${instance}`))
        return Number(entry);
    } catch {
      // the process went away meanwhile
    }
  }
  return undefined;
}

/** A topic name no other test run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
