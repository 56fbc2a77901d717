import { describe, expect, it } from 'vitest';
import {
  javaLaunchArgs,
  kafkaVersionFromJars,
  mavenCopyArgs,
  newClusterId,
  renderKafkaLog4j2,
  renderKafkaPom,
  renderKafkaProperties,
  replicationFor,
} from './kafka-files.ts';

function parseProperties(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as [string, string];
    });
  return new Map(entries);
}

/** A broker on 127.0.0.1 at `port`, its controller at `controllerPort`, topics of six partitions. */
function onLoopback(port: number, controllerPort: number, dataDir: string) {
  return { host: '127.0.0.1', port, controllerPort, dataDir, defaultPartitions: 6 };
}

describe('renderKafkaProperties', () => {
  const props = parseProperties(renderKafkaProperties(onLoopback(29092, 29093, 'C:\\cdnfaas\\kafka\\data')));

  it('declares a single-node KRaft broker and controller on the configured ports', () => {
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:29093');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:29092');
  });

  it('uses replication factor 1 and min.isr 1 for internal topics, so transactions work on one broker', () => {
    expect(props.get('offsets.topic.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.min.isr')).toBe('1');
  });

  it('writes paths with forward slashes, because backslashes are escapes in .properties', () => {
    expect(props.get('log.dirs')).toBe('C:/cdnfaas/kafka/data');
  });

  it('sets the default partitions and no rebalance delay', () => {
    expect(props.get('num.partitions')).toBe('6');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
  });
});

describe('renderKafkaProperties for a three-node cluster', () => {
  const voters = [1, 2, 3].map((id) => ({ id, host: '127.0.0.1', controllerPort: 9093 + 100 * (id - 1) }));
  const props = parseProperties(
    renderKafkaProperties({
      ...onLoopback(9192, 9193, '/home/kafka-cluster/node-2/data'),
      nodeId: 2,
      voters,
    }),
  );

  it('names this node and every controller of the quorum', () => {
    expect(props.get('node.id')).toBe('2');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093,2@127.0.0.1:9193,3@127.0.0.1:9293');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9192,CONTROLLER://127.0.0.1:9193');
  });

  it('replicates everything three times and needs two in-sync replicas for a write', () => {
    for (const key of [
      'default.replication.factor',
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
    ])
      expect(props.get(key), key).toBe('3');
    expect(props.get('min.insync.replicas')).toBe('2');
    expect(props.get('transaction.state.log.min.isr')).toBe('2');
    expect(props.get('unclean.leader.election.enable')).toBe('false');
  });
});

describe('renderKafkaProperties in secure mode', () => {
  const props = parseProperties(
    renderKafkaProperties({
      ...onLoopback(9092, 9093, '/home/kafka-secure/data'),
      security: {
        keystorePem: '/home/kafka-tls/broker-keystore.pem',
        truststorePem: '/home/kafka-tls/ca.crt',
        interBrokerUser: 'cdnfaas-admin',
        interBrokerPassword: 'secret',
      },
    }),
  );

  it('serves clients and brokers only on SASL_SSL with SCRAM-SHA-512', () => {
    expect(props.get('listeners')).toBe('SASL_SSL://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(props.get('advertised.listeners')).toBe('SASL_SSL://127.0.0.1:9092');
    expect(props.get('inter.broker.listener.name')).toBe('SASL_SSL');
    expect(props.get('sasl.enabled.mechanisms')).toBe('SCRAM-SHA-512');
    expect(props.get('listener.security.protocol.map')).not.toContain('PLAINTEXT:PLAINTEXT');
    expect(props.get('ssl.keystore.type')).toBe('PEM');
    expect(props.get('ssl.truststore.location')).toBe('/home/kafka-tls/ca.crt');
  });
});

describe('replicationFor', () => {
  it.each([
    [1, 1, 1],
    [2, 2, 1],
    [3, 3, 2],
    [5, 3, 2],
  ])('%i nodes: factor %i, min.insync.replicas %i', (nodes, factor, minInsync) => {
    expect(replicationFor(nodes)).toEqual({ factor, minInsync });
  });
});

describe('renderKafkaPom', () => {
  it('names kafka_2.13 at the requested version with slf4j and the log4j2 binding', () => {
    const pom = renderKafkaPom('4.1.1');
    expect(pom).toContain('<artifactId>kafka_2.13</artifactId><version>4.1.1</version>');
    expect(pom).toContain('<artifactId>log4j-slf4j2-impl</artifactId>');
    expect(pom).toContain('<artifactId>log4j-core</artifactId>');
    expect(pom).toContain('<artifactId>slf4j-api</artifactId>');
  });
});

describe('renderKafkaLog4j2', () => {
  it('sends the root logger to a console appender', () => {
    const text = renderKafkaLog4j2();
    expect(text).toMatch(/^appender\.out\.type = Console$/m);
    expect(text).toMatch(/^rootLogger\.appenderRef\.out\.ref = STDOUT$/m);
  });
});

describe('newClusterId', () => {
  it('is 22 URL-safe base64 characters', () => {
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('never starts with a dash', () => {
    const draws = [Buffer.from([0xf8, ...new Array(15).fill(0)]), Buffer.alloc(16, 1)];
    const id = newClusterId(() => draws.shift()!);
    expect(id.startsWith('-')).toBe(false);
    expect(draws).toHaveLength(0);
  });
});

describe('kafkaVersionFromJars', () => {
  it('finds the broker jar among the dependencies', () => {
    expect(
      kafkaVersionFromJars(['slf4j-api-2.0.17.jar', 'kafka_2.13-4.1.1.jar', 'kafka-clients-4.1.1.jar']),
    ).toBe('4.1.1');
    expect(kafkaVersionFromJars(['kafka-clients-4.1.1.jar'])).toBeUndefined();
  });
});

describe('launch arguments', () => {
  it('copies runtime jars into the given directory', () => {
    expect(mavenCopyArgs('libs')).toContain('-DoutputDirectory=libs');
    expect(mavenCopyArgs('libs')).toContain('-DincludeScope=runtime');
  });

  it('passes the classpath wildcard for the JVM to expand and a small heap', () => {
    const args = javaLaunchArgs({
      heap: { min: '256m', max: '768m' },
      libsDir: '/c/libs',
      log4j2File: '/c/log4j2.properties',
    });
    expect(args).toEqual(
      expect.arrayContaining([
        '-Xmx768m',
        '-cp',
        '/c/libs/*',
        '-Dlog4j2.configurationFile=/c/log4j2.properties',
      ]),
    );
  });
});
