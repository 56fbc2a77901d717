// Kafka as managed services: one KRaft node (broker and controller) per process, from the cached
// jars, storage formatted on first start; `kafka.nodes` of them form a cluster on this machine.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KafkaNode, SystemConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import { formatHostPort, isLoopbackHost, parseHostPort } from './address.ts';
import { describeTopicPlan, ensureTopics, kafkaHealth } from './kafka-admin.ts';
import {
  javaLaunchArgs,
  kafkaVersion,
  newClusterId,
  renderKafkaProperties,
  replicationFor,
} from './kafka-files.ts';
import { obtainKafka } from './kafka-obtain.ts';
import { prepareSecureNode } from './kafka-secure.ts';
import { javaArgumentFile } from './kafka-users.ts';
import { kafkaPaths } from './layout.ts';
import type { ManagedService, ServiceOptions } from './managed.ts';
import { readObtained } from './obtained.ts';
import { spawnDetached, writeRecord, type ServiceRecord } from './processes.ts';
import { runLogged } from './run-command.ts';

const javaInstallHint = 'install Java 17+ (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME';
const heap = { min: '256m', max: '768m' };
// Three JVMs share the machine in a cluster; each needs less than a lone broker's share.
const clusterNodeHeap = { min: '128m', max: '512m' };

function javaCommand(env: Record<string, string | undefined>): string {
  const javaHome = env.JAVA_HOME;
  const exe = process.platform === 'win32' ? 'java.exe' : 'java';
  return javaHome && existsSync(join(javaHome, 'bin', exe)) ? join(javaHome, 'bin', exe) : 'java';
}

/**
 * The cluster's id, shared by every node: made once and kept beside the nodes' folders. The nodes
 * start together, so the first to write it wins and the others read it.
 */
function clusterId(file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${newClusterId()}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

/** One managed service per local KRaft node (one with external brokers). */
export function createKafkaServices(config: SystemConfig, options: ServiceOptions = {}): ManagedService[] {
  const external = config.externalKafka || !isLoopbackHost(parseHostPort(config.kafka.brokers[0]!).host);
  const count = external ? 1 : config.kafkaNodes.length;
  return Array.from({ length: count }, (_, index) => createKafkaService(config, options, index + 1));
}

/** The managed service of local node `nodeId` (1 when alone). */
export function createKafkaService(
  config: SystemConfig,
  options: ServiceOptions = {},
  nodeId = 1,
): ManagedService {
  const version = options.version ?? kafkaVersion;
  const env = options.env ?? process.env;
  const brokers = config.kafka.brokers;
  const nodes = config.kafkaNodes;
  const node: KafkaNode = nodes[nodeId - 1]!;
  const clustered = nodes.length > 1;
  const broker = { host: node.host, port: node.port };
  const controller = { host: node.host, port: node.controllerPort };
  const secure = config.secure && !config.externalKafka;
  const paths = kafkaPaths(config.cacheDir, config.home, version, {
    id: nodeId,
    nodes: nodes.length,
    secure,
  });
  const java = javaCommand(env);
  const external = config.externalKafka || !isLoopbackHost(broker.host);
  const nodeAddress = formatHostPort(broker);
  const label = clustered ? `node ${nodeId} of ${nodes.length}` : 'Kafka';

  async function formatStorage(
    classpathArgs: string[],
    scramArguments: string[],
    onProgress: Parameters<ManagedService['start']>[0],
  ): Promise<void> {
    if (existsSync(paths.formattedMarker)) return;
    onProgress({
      service: 'kafka',
      kind: 'step',
      message: `formatting KRaft storage of ${label} in ${paths.dataDir}`,
    });
    // The tool's arguments go through a java argument file (0600, deleted afterwards): in secure
    // mode they hold the SCRAM users' passwords, which must never be on a command line.
    const argumentFile = join(paths.run.dir, 'format.args');
    writeFileSync(
      argumentFile,
      javaArgumentFile([
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clustered ? clusterId(paths.clusterIdFile) : newClusterId(),
        '-c',
        paths.properties,
        '--ignore-formatted',
        ...scramArguments,
      ]),
      { mode: 0o600 },
    );
    await runLogged({
      command: java,
      args: [...classpathArgs, `@${argumentFile}`],
      cwd: paths.run.dir,
      env,
      logFile: paths.formatLog,
      what: 'formatting Kafka storage',
      timeoutMs: 120_000,
      installHint: javaInstallHint,
      failureCode: 'SERVICE_UNHEALTHY',
    }).finally(() => rmSync(argumentFile, { force: true }));
  }

  /** Health through the tools' credentials in secure mode; a missing credential file is "not healthy". */
  function health() {
    let connection;
    try {
      connection = kafkaConnection(config);
    } catch (error) {
      return Promise.resolve({ healthy: false, detail: (error as Error).message });
    }
    // A node of a cluster is healthy once it answers and has registered as a broker.
    return external
      ? kafkaHealth(connection)
      : kafkaHealth({ ...connection, brokers: [nodeAddress] }, clustered ? nodeId : undefined);
  }

  return {
    name: 'kafka',
    address: external ? brokers.join(',') : nodeAddress,
    external,
    externalVariable: 'KAFKA_BROKERS',
    portKeys: clustered
      ? 'kafka.brokers and kafka.controllerPort(s); node i adds 100 * i'
      : 'kafka.brokers and kafka.controllerPort',
    ports: [
      { ...broker, role: 'broker' },
      { ...controller, role: 'KRaft controller' },
    ],
    run: paths.run,
    version,
    health,

    async start(onProgress) {
      const obtained = await obtainKafka({
        cacheDir: config.cacheDir,
        home: config.home,
        version,
        onProgress,
        env,
      });
      mkdirSync(paths.dataDir, { recursive: true });
      const secured = secure ? await prepareSecureNode(config.home, [broker.host]) : undefined;
      // In secure mode the file holds the inter-broker password: its owner alone reads it.
      writeFileSync(
        paths.properties,
        renderKafkaProperties({
          host: broker.host,
          port: broker.port,
          controllerPort: controller.port,
          dataDir: paths.dataDir,
          defaultPartitions: config.kafka.defaultPartitions,
          nodeId,
          voters: nodes.map((voter) => ({
            id: voter.id,
            host: voter.host,
            controllerPort: voter.controllerPort,
          })),
          security: secured?.listener,
        }),
        { mode: 0o600 },
      );
      chmodSync(paths.properties, 0o600);
      const classpathArgs = javaLaunchArgs({
        heap: clustered ? clusterNodeHeap : heap,
        libsDir: obtained.libsDir,
        log4j2File: obtained.log4j2File,
      });
      await formatStorage(classpathArgs, secured?.formatArguments ?? [], onProgress);
      const args = [...classpathArgs, 'kafka.Kafka', paths.properties];
      onProgress({
        service: 'kafka',
        kind: 'step',
        message: `starting ${clustered ? `Kafka node ${nodeId} of ${nodes.length}` : 'Kafka'} ${version} on ${nodeAddress} (log: ${paths.run.logFile})`,
      });
      const process = await spawnDetached({
        command: java,
        args,
        cwd: paths.run.dir,
        env,
        logFile: paths.run.logFile,
        installHint: javaInstallHint,
      });
      const record: ServiceRecord = {
        service: 'kafka',
        pid: process.pid,
        startedAt: new Date().toISOString(),
        version,
        address: formatHostPort(broker),
        command: [java, ...args],
        marker: paths.properties,
        logFile: paths.run.logFile,
      };
      writeRecord(paths.run, record);
      return { process, record };
    },

    async provision() {
      // The first node creates the topics for the cluster, once every node has registered.
      if (!external && nodeId > 1) return `${label} serves as broker and controller`;
      const replication = replicationFor(external ? 1 : nodes.length);
      const plan = await ensureTopics(kafkaConnection(config), config.topics, {
        replicationFactor: external ? undefined : replication.factor,
        minInsyncReplicas: external ? undefined : replication.minInsync,
        brokers: external ? 1 : nodes.length,
      });
      return describeTopicPlan(plan);
    },

    async knownVersion() {
      // Kafka does not report its release over the protocol; only the cached one is known.
      return external ? undefined : readObtained(paths.obtainedMarker)?.version;
    },
  };
}
