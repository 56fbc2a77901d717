// The whole pipeline in an isolated cdnfaas home with its own ports: its own Kafka and InfluxDB
// (started with deploy/local), the functions built into its own image store, the gateway and
// the connector as background processes. A chaos run restarts all of these, so none may be
// shared with anything else on the machine.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Admin, Kafka } from 'kafkajs';
import { servicesDown, servicesUp } from '../deploy/local/index.ts';
import { startBackground, stopBackground } from '../deploy/local/pipeline/background.ts';
import {
  deployFunction,
  upsertSecret,
  waitForReady,
  type GatewayAccess,
} from '../deploy/local/pipeline/deploy-stack.ts';
import { predictModelDir, trainSmallModel } from '../deploy/local/pipeline/model.ts';
import { createKafka } from '../lib/kafka.ts';
import type { Logger } from '../lib/logger.ts';
import { buildStack } from '../runtime/build/index.ts';
import { ensureCredentials } from '../runtime/gateway/credentials.ts';
import { loadStackFile, type StackFunction } from '../runtime/stack/stack-file.ts';
import {
  defaultSourcesFile,
  loadConfig,
  projectRoot,
  readInfluxToken,
  type SystemConfig,
} from '../system/config.ts';
import { kafkaConnection } from '../system/kafka-connection.ts';
import { pickSystemPorts, type SystemPorts } from './ports.ts';

export interface SystemOptions {
  logger: Logger;
  /** A model directory for predict; default: functions/predict/model when it holds one. */
  modelDir?: string;
  /** Progress lines for a person watching. */
  say?: (line: string) => void;
  /** Keep the home folder afterwards (for reading logs). */
  keepHome?: boolean;
  /** Local Kafka nodes (1: a single broker; 3: a cluster with replication factor 3). */
  kafkaNodes?: number;
}

export interface IsolatedSystem {
  home: string;
  config: SystemConfig;
  /** The environment every process of this system runs with. */
  env: Record<string, string | undefined>;
  ports: SystemPorts;
  gateway: GatewayAccess;
  connectorUrl: string;
  kafka: Kafka;
  admin: Admin;
  functions: StackFunction[];
  startGateway(): Promise<void>;
  stopGateway(): Promise<void>;
  /** Deploys the stack (and the InfluxDB token secret) and waits for a ready replica of each. */
  deployStack(): Promise<void>;
  /** Waits for a ready replica of every function of the stack. */
  waitForFunctions(timeoutMs: number): Promise<void>;
  startConnector(): Promise<void>;
  stopConnector(): Promise<void>;
  close(): Promise<void>;
}

/** Environment variables that would point this system at the shared services: never inherited. */
const sharedServiceVariables = [
  'KAFKA_BROKERS',
  'INFLUX_URL',
  'INFLUX_ORG',
  'INFLUX_BUCKET',
  'INFLUX_TOKEN',
  'INFLUX_TOKEN_FILE',
  'GATEWAY_PORT',
  'OPENFAAS_URL',
  'CONNECTOR_PORT',
  'MODEL_DIR',
  // The isolated sources file sets the node count.
  'KAFKA_NODES',
];

/** A sources file like system/sources.yaml, with this system's ports. Pure. */
export interface SourcesYaml {
  kafka: Record<string, unknown>;
  influxdb: Record<string, unknown>;
  gateway: Record<string, unknown>;
  [key: string]: unknown;
}

export function isolatedSources(base: SourcesYaml, ports: SystemPorts): SourcesYaml {
  return {
    ...base,
    kafka: {
      ...base.kafka,
      brokers: ports.kafkaNodes.map((node) => `127.0.0.1:${node.broker}`),
      controllerPort: ports.kafkaController,
      nodes: ports.kafkaNodes.length,
      controllerPorts: ports.kafkaNodes.map((node) => node.controller),
    },
    influxdb: { ...base.influxdb, url: `http://127.0.0.1:${ports.influx}` },
    gateway: { ...base.gateway, port: ports.gateway },
  };
}

/** The model predict runs with: the installed one, else one trained here on generated data. */
async function ensureModel(
  home: string,
  env: Record<string, string | undefined>,
  say: (line: string) => void,
): Promise<string | undefined> {
  if (existsSync(join(predictModelDir, 'model.onnx'))) return undefined;
  say(`no model in ${predictModelDir}: training one on generated data into ${join(home, 'model')}`);
  return trainSmallModel(home, env);
}

export async function startIsolatedSystem(options: SystemOptions): Promise<IsolatedSystem> {
  const say = options.say ?? (() => undefined);
  const home = mkdtempSync(join(tmpdir(), 'cdnfaas-chaos-'));
  const ports = await pickSystemPorts(options.kafkaNodes ?? 1);
  const sourcesFile = join(home, 'sources.yaml');
  const base = parseYaml(readFileSync(defaultSourcesFile, 'utf8')) as SourcesYaml;
  writeFileSync(sourcesFile, stringifyYaml(isolatedSources(base, ports)));
  const env: Record<string, string | undefined> = {
    ...process.env,
    CDNFAAS_HOME: home,
    CDNFAAS_SOURCES: sourcesFile,
  };
  for (const name of sharedServiceVariables) delete env[name];
  const config = loadConfig({ env });
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  const connectorUrl = `http://127.0.0.1:${ports.connector}`;
  let admin: Admin | undefined;

  async function close(): Promise<void> {
    await stopBackground(config, 'connector').catch(() => undefined);
    await stopBackground(config, 'gateway').catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    await servicesDown(config, { only: ['kafka', 'influxdb'], env }).catch(() => undefined);
    if (!options.keepHome) rmSync(home, { recursive: true, force: true });
  }

  try {
    say(
      `home ${home}; Kafka :${ports.kafkaNodes.map((node) => node.broker).join(',:')}, InfluxDB :${ports.influx}, gateway :${ports.gateway}, connector :${ports.connector}`,
    );
    await servicesUp(config, {
      only: ['kafka', 'influxdb'],
      env,
      onProgress: (event) => say(`${event.service}: ${event.message}`),
    });
    const modelDir = options.modelDir ?? (await ensureModel(home, env, say));
    const stackEnv = {
      ...env,
      INFLUX_URL: config.influxdb.url,
      INFLUX_ORG: config.influxdb.org,
      INFLUX_BUCKET: config.influxdb.bucket,
    };
    const stackFile = join(projectRoot, 'stack.yml');
    say('building the functions into the image store');
    await buildStack({ stackFile, config, env: stackEnv });
    const functions = loadStackFile(stackFile, { env: stackEnv }).functions.map((fn) =>
      fn.name === 'predict' && modelDir !== undefined
        ? { ...fn, environment: { ...fn.environment, MODEL_DIR: modelDir } }
        : fn,
    );
    const credentials = ensureCredentials(home);
    const gateway: GatewayAccess = {
      url: gatewayUrl,
      user: credentials.user,
      password: credentials.password,
    };
    const kafka = createKafka(kafkaConnection(config), {
      clientId: 'cdnfaas-chaos',
      logger: options.logger,
      retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    admin = kafka.admin();
    await admin.connect();

    const system: IsolatedSystem = {
      home,
      config,
      env,
      ports,
      gateway,
      connectorUrl,
      kafka,
      admin,
      functions,
      async startGateway() {
        await startBackground(config, {
          name: 'gateway',
          args: ['gateway', '--port', String(ports.gateway)],
          healthUrl: `${gatewayUrl}/healthz`,
          env,
        });
      },
      async stopGateway() {
        await stopBackground(config, 'gateway');
      },
      async deployStack() {
        await upsertSecret(gateway, 'influxdb-token', readInfluxToken(config, env));
        for (const fn of functions) await deployFunction(gateway, fn);
        await system.waitForFunctions(120_000);
      },
      async waitForFunctions(timeoutMs) {
        await waitForReady(
          gateway,
          functions.map((fn) => fn.name),
          timeoutMs,
        );
      },
      async startConnector() {
        await startBackground(config, {
          name: 'connector',
          args: ['connector', '--port', String(ports.connector), '--gateway', gatewayUrl],
          healthUrl: `${connectorUrl}/healthz`,
          env,
        });
      },
      async stopConnector() {
        await stopBackground(config, 'connector');
      },
      close,
    };
    say('starting the gateway, deploying the stack, starting the connector');
    await system.startGateway();
    await system.deployStack();
    await system.startConnector();
    return system;
  } catch (error) {
    await close();
    throw error;
  }
}
