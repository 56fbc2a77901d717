import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CdnfaasError } from '../lib/errors.ts';
import { applyEnvironment, describeIssues, type Env, type RawSources } from './environment.ts';
import { modeVariables } from './mode.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultSourcesFile = join(projectRoot, 'system', 'sources.yaml');

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:9092');
const port = z.number().int().min(1).max(65535);
const topicName = z
  .string()
  .regex(/^[a-zA-Z0-9._-]{1,249}$/, 'a Kafka topic name ([a-zA-Z0-9._-], 1-249 chars)');

export const sourcesSchema = z
  .object({
    // Secure mode: Kafka only on SASL_SSL with SCRAM users, InfluxDB with auth, the dashboard
    // behind the gateway's basic auth. Off by default for the one-machine start.
    secure: z.boolean().default(false),
    kafka: z
      .object({
        brokers: z.array(hostPort).min(1),
        controllerPort: port.default(9093),
        // How many KRaft nodes (each broker and controller) cdnfaas starts on this machine.
        nodes: z.number().int().min(1).max(9).default(1),
        // Controller ports per node; without it node i listens on controllerPort + 100 * i.
        controllerPorts: z.array(port).min(1).optional(),
        defaultPartitions: z.number().int().min(1).max(1000).default(6),
        // How clients authenticate (issue 14): SASL_SSL with SCRAM-SHA-512, the CA that signed the
        // brokers' certificates, and the user and password read from files (never inline).
        security: z
          .object({
            protocol: z.enum(['PLAINTEXT', 'SASL_SSL']),
            mechanism: z.enum(['SCRAM-SHA-512']).optional(),
            caFile: z.string().min(1).optional(),
            userFile: z.string().min(1).optional(),
            passwordFile: z.string().min(1).optional(),
          })
          .strict()
          .optional(),
        topics: z.record(
          topicName,
          z.object({ partitions: z.number().int().min(1).max(1000).optional() }).strict(),
        ),
      })
      .strict(),
    influxdb: z
      .object({
        url: z.url({ protocol: /^https?$/ }),
        org: z.string().min(1),
        bucket: z.string().min(1),
        tokenFile: z.string().min(1),
      })
      .strict(),
    gateway: z.object({ port }).strict(),
    // Where `cdnfaas connector` serves /metrics, for Prometheus to scrape.
    // kafkaClient: the connector's Kafka client. `auto` takes librdkafka when it is installed
    // and can serve the connection (see lib/rdkafka.ts), kafkajs otherwise.
    connector: z
      .object({
        port: port.default(8082),
        kafkaClient: z.enum(['auto', 'librdkafka', 'kafkajs']).default('auto'),
      })
      .strict()
      .default({ port: 8082, kafkaClient: 'auto' }),
    // Prometheus and AlertManager (Debian's packages), started when installed: OpenFaaS's
    // APIHighInvocationRate alert scales HTTP-called functions through the gateway's /system/alert.
    // AlertManager's default 9093 is Kafka's controller port here, hence 9095.
    prometheus: z
      .object({ port: port.default(9090) })
      .strict()
      .default({ port: 9090 }),
    alertmanager: z
      .object({ port: port.default(9095) })
      .strict()
      .default({ port: 9095 }),
  })
  .strict();

export type Sources = z.infer<typeof sourcesSchema>;

export interface TopicSpec {
  name: string;
  partitions: number;
}

export interface SystemConfig extends Sources {
  /** Where cdnfaas keeps its state: service data, logs, pid files, credentials, the image store. */
  home: string;
  /** Where downloads and builds are cached across clones. */
  cacheDir: string;
  /** True when KAFKA_BROKERS names external brokers: cdnfaas starts no Kafka of its own. */
  externalKafka: boolean;
  /** True when INFLUX_URL names an external InfluxDB: cdnfaas starts none of its own. */
  externalInflux: boolean;
  topics: TopicSpec[];
  /** The local KRaft nodes cdnfaas starts (unused with external brokers). */
  kafkaNodes: KafkaNode[];
}

export interface KafkaNode {
  /** KRaft node.id, from 1. */
  id: number;
  host: string;
  port: number;
  controllerPort: number;
}

/** Ports of further nodes when sources.yaml lists only the first: 9092, 9192, 9292, ... */
export const nodePortStep = 100;

/**
 * The local nodes: node i takes the i-th configured broker address, or the first one's host and
 * port + 100 * i; its controller the i-th of controllerPorts, or controllerPort + 100 * i. Pure.
 */
export function planKafkaNodes(
  kafka: Pick<Sources['kafka'], 'brokers' | 'controllerPort' | 'nodes' | 'controllerPorts'>,
): KafkaNode[] {
  const [firstHost, firstPort] = splitHostPort(kafka.brokers[0]!);
  return Array.from({ length: kafka.nodes }, (_, index) => {
    const configured = kafka.brokers[index];
    const [host, port] = configured
      ? splitHostPort(configured)
      : [firstHost, firstPort + nodePortStep * index];
    const controllerPort = kafka.controllerPorts?.[index] ?? kafka.controllerPort + nodePortStep * index;
    return { id: index + 1, host, port, controllerPort };
  });
}

function splitHostPort(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

export interface LoadOptions {
  file?: string;
  env?: Env;
}

/** Reads system/sources.yaml (or the given file), applies the environment and validates it. */
export function loadConfig(options: LoadOptions = {}): SystemConfig {
  const given = options.env ?? process.env;
  // The mode `up` was started in, unless a variable says otherwise (see mode.ts).
  const env = { ...modeVariables(resolve(given.CDNFAAS_HOME ?? join(projectRoot, '.cdnfaas'))), ...given };
  const file = resolve(options.file ?? env.CDNFAAS_SOURCES ?? defaultSourcesFile);
  if (!existsSync(file)) {
    throw new CdnfaasError('CONFIG_NOT_FOUND', `configuration file ${file} does not exist`, {
      hint: 'restore system/sources.yaml from git, or point CDNFAAS_SOURCES at your own file',
    });
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CdnfaasError('CONFIG_INVALID', `${file} is not valid YAML: ${(error as Error).message}`, {
      hint: 'fix the YAML syntax at the line named above',
      cause: error,
    });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CdnfaasError('CONFIG_INVALID', `${file} must hold a mapping with kafka, influxdb and gateway`, {
      hint: 'compare it with system/sources.yaml in git',
    });
  }
  const merged = applyEnvironment(raw as RawSources, env);
  const parsed = sourcesSchema.safeParse(merged);
  if (!parsed.success) {
    throw new CdnfaasError(
      'CONFIG_INVALID',
      `invalid configuration:\n${describeIssues(file, merged, parsed.error.issues, env)}`,
      {
        hint: `fix the keys named above in ${file} or the environment variables that override them`,
      },
    );
  }
  const sources = parsed.data;
  const home = resolve(env.CDNFAAS_HOME ?? join(projectRoot, '.cdnfaas'));
  const cacheDir = resolve(
    env.CDNFAAS_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cdnfaas'),
  );
  const externalKafka = Boolean(env.KAFKA_BROKERS);
  const kafkaNodes = planKafkaNodes(sources.kafka);
  // Clients bootstrap from every local node, so any one of them being down does not matter.
  // A configured list longer than the node count names someone else's cluster: kept as it is.
  const brokers =
    externalKafka || sources.kafka.brokers.length > kafkaNodes.length
      ? sources.kafka.brokers
      : kafkaNodes.map((node) => `${node.host}:${node.port}`);
  const tokenFile = isAbsolute(sources.influxdb.tokenFile)
    ? sources.influxdb.tokenFile
    : join(home, sources.influxdb.tokenFile);
  return {
    ...sources,
    kafka: { ...sources.kafka, brokers },
    influxdb: { ...sources.influxdb, tokenFile },
    home,
    cacheDir,
    externalKafka,
    kafkaNodes,
    externalInflux: Boolean(env.INFLUX_URL),
    topics: Object.entries(sources.kafka.topics).map(([name, spec]) => ({
      name,
      partitions: spec.partitions ?? sources.kafka.defaultPartitions,
    })),
  };
}

/** Reads the InfluxDB token from its file; INFLUX_TOKEN wins when set. Never logged. */
export function readInfluxToken(config: SystemConfig, env: Env = process.env): string {
  if (env.INFLUX_TOKEN) return env.INFLUX_TOKEN;
  if (!existsSync(config.influxdb.tokenFile)) {
    throw new CdnfaasError(
      'CONFIG_NOT_FOUND',
      `InfluxDB token file ${config.influxdb.tokenFile} does not exist`,
      {
        hint: 'run `npx cdnfaas services up` to create it, or set INFLUX_TOKEN / INFLUX_TOKEN_FILE',
      },
    );
  }
  return readFileSync(config.influxdb.tokenFile, 'utf8').trim();
}
