// The files a local Kafka needs, rendered as text: the Maven pom that resolves its jars,
// the log4j2 configuration and server.properties. Pure, so they are tested without a JVM.
import { randomBytes } from 'node:crypto';

export const kafkaVersion = '4.1.1';

/** Kafka itself plus the slf4j API and a log4j2 binding, which the broker needs to log at all. */
export function kafkaDependencies(
  version: string,
): Array<{ groupId: string; artifactId: string; version: string }> {
  return [
    { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version },
    { groupId: 'org.slf4j', artifactId: 'slf4j-api', version: '2.0.17' },
    { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j2-impl', version: '2.24.3' },
    { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: '2.24.3' },
  ];
}

export function renderKafkaPom(version: string): string {
  const dependencies = kafkaDependencies(version)
    .map(
      (d) =>
        `    <dependency><groupId>${d.groupId}</groupId><artifactId>${d.artifactId}</artifactId><version>${d.version}</version></dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Resolves the Kafka ${version} broker and its runtime dependencies from Maven Central. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>cdnfaas.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}

/** Maven arguments that copy every runtime jar into `outputDirectory`. */
export function mavenCopyArgs(outputDirectory: string): string[] {
  return [
    '-B',
    '-q',
    'dependency:copy-dependencies',
    `-DoutputDirectory=${outputDirectory}`,
    '-DincludeScope=runtime',
  ];
}

/**
 * A properties-format log4j2 configuration (it needs no extra parser on the classpath).
 * Everything goes to stdout, which the launcher sends to the service's log file.
 */
export function renderKafkaLog4j2(): string {
  return [
    'status = warn',
    'appender.out.type = Console',
    'appender.out.name = STDOUT',
    'appender.out.layout.type = PatternLayout',
    'appender.out.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.out.ref = STDOUT',
    // Per-partition state changes flood the log on every start; warnings are enough.
    'logger.state.name = state.change.logger',
    'logger.state.level = WARN',
    '',
  ].join('\n');
}

export interface KafkaVoter {
  id: number;
  host: string;
  controllerPort: number;
}

export interface KafkaPropertiesInput {
  host: string;
  port: number;
  controllerPort: number;
  dataDir: string;
  defaultPartitions: number;
  /** This node's KRaft id (1 when alone). */
  nodeId?: number;
  /** Every controller of the cluster, this node included (this node alone when absent). */
  voters?: KafkaVoter[];
  /** Secure mode: clients and brokers only on SASL_SSL with SCRAM-SHA-512. */
  security?: KafkaListenerSecurity;
}

export interface KafkaListenerSecurity {
  /** PEM file with the broker's key and certificate chain. */
  keystorePem: string;
  /** PEM file with the CA that signed every broker certificate. */
  truststorePem: string;
  /** The SCRAM user the brokers use among themselves. */
  interBrokerUser: string;
  interBrokerPassword: string;
}

/**
 * The listener settings: PLAINTEXT by default; in secure mode one SASL_SSL listener that clients
 * and the other brokers use, SCRAM-SHA-512 only. The controllers' listener stays on the loopback
 * address in plaintext: KRaft cannot check SCRAM there (the users live in the metadata the
 * controllers serve), and it takes no client's data. Pure.
 */
function listenerProperties(
  host: string,
  port: number,
  controllerPort: number,
  security?: KafkaListenerSecurity,
): Array<[string, string | number]> {
  const protocol = security === undefined ? 'PLAINTEXT' : 'SASL_SSL';
  const listeners: Array<[string, string | number]> = [
    ['listeners', `${protocol}://${host}:${port},CONTROLLER://${host}:${controllerPort}`],
    ['advertised.listeners', `${protocol}://${host}:${port}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', protocol],
    ['listener.security.protocol.map', `${protocol}:${protocol},CONTROLLER:PLAINTEXT`],
  ];
  if (security === undefined) return listeners;
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${security.interBrokerUser}" password="${security.interBrokerPassword}";`;
  return [
    ...listeners,
    ['sasl.enabled.mechanisms', 'SCRAM-SHA-512'],
    ['sasl.mechanism.inter.broker.protocol', 'SCRAM-SHA-512'],
    ['listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config', jaas],
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.location', propertiesPath(security.keystorePem)],
    ['ssl.truststore.type', 'PEM'],
    ['ssl.truststore.location', propertiesPath(security.truststorePem)],
    ['ssl.endpoint.identification.algorithm', 'https'],
  ];
}

/** Backslashes are escapes in .properties files; Java accepts forward slashes on every OS. */
function propertiesPath(path: string): string {
  return path.replace(/\\/g, '/');
}

/**
 * Replication for a cluster of `nodes`: three copies where there are three brokers, and writes
 * acknowledged by all in-sync replicas need two of them (acks=all with min.insync.replicas=2), so
 * one node may fail without losing an acknowledged record or stopping writes. One node: 1 and 1.
 */
export function replicationFor(nodes: number): { factor: number; minInsync: number } {
  const factor = Math.min(3, nodes);
  return { factor, minInsync: Math.max(1, factor - 1) };
}

/** A KRaft node that is broker and controller; internal topics replicated across the cluster. */
export function renderKafkaProperties(input: KafkaPropertiesInput): string {
  const { host, port, controllerPort } = input;
  const nodeId = input.nodeId ?? 1;
  const voters = input.voters ?? [{ id: nodeId, host, controllerPort }];
  const { factor, minInsync } = replicationFor(voters.length);
  const properties: Array<[string, string | number]> = [
    ['process.roles', 'broker,controller'],
    ['node.id', nodeId],
    ['controller.quorum.voters', voters.map((v) => `${v.id}@${v.host}:${v.controllerPort}`).join(',')],
    ...listenerProperties(host, port, controllerPort, input.security),
    ['log.dirs', propertiesPath(input.dataDir)],
    ['num.partitions', input.defaultPartitions],
    // Internal topics get as many replicas as the cluster can hold (one broker: one).
    ['offsets.topic.replication.factor', factor],
    ['offsets.topic.num.partitions', 10],
    ['transaction.state.log.replication.factor', factor],
    ['transaction.state.log.min.isr', minInsync],
    ['transaction.state.log.num.partitions', 10],
    ['share.coordinator.state.topic.replication.factor', factor],
    ['share.coordinator.state.topic.min.isr', minInsync],
    ['default.replication.factor', factor],
    ['min.insync.replicas', minInsync],
    // A replica that was out of sync never becomes leader: an acknowledged record is never lost.
    ['unclean.leader.election.enable', 'false'],
    // Tests and the connector join groups constantly; the 3 s default delay only slows them.
    ['group.initial.rebalance.delay.ms', 0],
    ['log.retention.hours', 168],
  ];
  return `# Generated by cdnfaas deploy/local on every start; edit system/sources.yaml instead.\n${properties
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

/**
 * A KRaft cluster id: 16 random bytes in URL-safe base64 without padding, as Kafka's
 * Uuid.randomUuid() makes them (which also avoids ids starting with '-', a CLI flag lookalike).
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The Kafka version found among the resolved jar names, e.g. kafka_2.13-4.1.1.jar -> 4.1.1. */
export function kafkaVersionFromJars(fileNames: string[]): string | undefined {
  for (const name of fileNames) {
    const match = /^kafka_2\.13-(\d+\.\d+\.\d+[\w.-]*)\.jar$/.exec(name);
    if (match) return match[1];
  }
  return undefined;
}

export function javaLaunchArgs(input: {
  heap: { min: string; max: string };
  libsDir: string;
  log4j2File: string;
}): string[] {
  return [
    `-Xms${input.heap.min}`,
    `-Xmx${input.heap.max}`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${input.log4j2File}`,
    '-cp',
    // The JVM expands the wildcard itself, so no shell is involved.
    `${input.libsDir}/*`,
  ];
}
