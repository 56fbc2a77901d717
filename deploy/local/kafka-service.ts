// Kafka as a managed service: single-node KRaft from the cached jars, storage formatted on first start.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SystemConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import { formatHostPort, isLoopbackHost, parseHostPort } from './address.ts';
import { describeTopicPlan, ensureTopics, kafkaHealth } from './kafka-admin.ts';
import { javaLaunchArgs, kafkaVersion, newClusterId, renderKafkaProperties } from './kafka-files.ts';
import { obtainKafka } from './kafka-obtain.ts';
import { kafkaPaths } from './layout.ts';
import type { ManagedService, ServiceOptions } from './managed.ts';
import { readObtained } from './obtained.ts';
import { spawnDetached, writeRecord, type ServiceRecord } from './processes.ts';
import { runLogged } from './run-command.ts';

const javaInstallHint = 'install Java 17+ (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME';
const heap = { min: '256m', max: '768m' };

function javaCommand(env: Record<string, string | undefined>): string {
  const javaHome = env.JAVA_HOME;
  const exe = process.platform === 'win32' ? 'java.exe' : 'java';
  return javaHome && existsSync(join(javaHome, 'bin', exe)) ? join(javaHome, 'bin', exe) : 'java';
}

export function createKafkaService(config: SystemConfig, options: ServiceOptions = {}): ManagedService {
  const version = options.version ?? kafkaVersion;
  const env = options.env ?? process.env;
  const brokers = config.kafka.brokers;
  const broker = parseHostPort(brokers[0]!);
  const controller = { host: broker.host, port: config.kafka.controllerPort };
  const paths = kafkaPaths(config.cacheDir, config.home, version);
  const java = javaCommand(env);
  const external = config.externalKafka || !isLoopbackHost(broker.host);

  async function formatStorage(
    classpathArgs: string[],
    onProgress: Parameters<ManagedService['start']>[0],
  ): Promise<void> {
    if (existsSync(paths.formattedMarker)) return;
    onProgress({ service: 'kafka', kind: 'step', message: `formatting KRaft storage in ${paths.dataDir}` });
    await runLogged({
      command: java,
      args: [
        ...classpathArgs,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        newClusterId(),
        '-c',
        paths.properties,
        '--ignore-formatted',
      ],
      cwd: paths.run.dir,
      env,
      logFile: paths.formatLog,
      what: 'formatting Kafka storage',
      timeoutMs: 120_000,
      installHint: javaInstallHint,
      failureCode: 'SERVICE_UNHEALTHY',
    });
  }

  return {
    name: 'kafka',
    address: brokers.join(','),
    external,
    externalVariable: 'KAFKA_BROKERS',
    portKeys: 'kafka.brokers and kafka.controllerPort',
    ports: [
      { ...broker, role: 'broker' },
      { ...controller, role: 'KRaft controller' },
    ],
    run: paths.run,
    version,
    health: () => kafkaHealth(kafkaConnection(config)),

    async start(onProgress) {
      const obtained = await obtainKafka({
        cacheDir: config.cacheDir,
        home: config.home,
        version,
        onProgress,
        env,
      });
      mkdirSync(paths.dataDir, { recursive: true });
      writeFileSync(
        paths.properties,
        renderKafkaProperties({
          host: broker.host,
          port: broker.port,
          controllerPort: controller.port,
          dataDir: paths.dataDir,
          defaultPartitions: config.kafka.defaultPartitions,
        }),
      );
      const classpathArgs = javaLaunchArgs({
        heap,
        libsDir: obtained.libsDir,
        log4j2File: obtained.log4j2File,
      });
      await formatStorage(classpathArgs, onProgress);
      const args = [...classpathArgs, 'kafka.Kafka', paths.properties];
      onProgress({
        service: 'kafka',
        kind: 'step',
        message: `starting Kafka ${version} on ${formatHostPort(broker)} (log: ${paths.run.logFile})`,
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
      return describeTopicPlan(await ensureTopics(kafkaConnection(config), config.topics));
    },

    async knownVersion() {
      // Kafka does not report its release over the protocol; only the cached one is known.
      return external ? undefined : readObtained(paths.obtainedMarker)?.version;
    },
  };
}
