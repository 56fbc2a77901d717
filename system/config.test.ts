import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CdnfaasError } from '../lib/errors.ts';
import { loadConfig, planKafkaNodes } from './config.ts';

const base = { CDNFAAS_HOME: '/tmp/cdnfaas-config-test' };

function sourcesFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cdnfaas-config-')), 'sources.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('secure mode', () => {
  it('is off by default', () => {
    expect(loadConfig({ env: base }).secure).toBe(false);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('CDNFAAS_SECURE=%s gives %s', (value, expected) => {
    expect(loadConfig({ env: { ...base, CDNFAAS_SECURE: value } }).secure).toBe(expected);
  });

  it('refuses a CDNFAAS_SECURE that is not a boolean, naming the variable', () => {
    const load = () => loadConfig({ env: { ...base, CDNFAAS_SECURE: 'maybe' } });
    expect(load).toThrow(CdnfaasError);
    expect(load).toThrow(/CDNFAAS_SECURE = "maybe"/);
  });
});

describe('Kafka nodes', () => {
  it('default to one node on the configured broker', () => {
    const config = loadConfig({ env: base });
    expect(config.kafka.nodes).toBe(1);
    expect(config.kafkaNodes).toEqual([{ id: 1, host: '127.0.0.1', port: 9092, controllerPort: 9093 }]);
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
  });

  it('KAFKA_NODES=3 adds nodes 100 ports apart, and clients bootstrap from all three', () => {
    const config = loadConfig({ env: { ...base, KAFKA_NODES: '3' } });
    expect(config.kafkaNodes.map((node) => [node.id, node.port, node.controllerPort])).toEqual([
      [1, 9092, 9093],
      [2, 9192, 9193],
      [3, 9292, 9293],
    ]);
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092', '127.0.0.1:9192', '127.0.0.1:9292']);
  });

  it('takes each node from the broker and controller lists when they name them', () => {
    const nodes = planKafkaNodes({
      brokers: ['127.0.0.1:4001', '127.0.0.1:4002', '127.0.0.1:4003'],
      controllerPort: 9093,
      controllerPorts: [5001, 5002, 5003],
      nodes: 3,
    });
    expect(nodes.map((node) => [node.port, node.controllerPort])).toEqual([
      [4001, 5001],
      [4002, 5002],
      [4003, 5003],
    ]);
  });

  it('keeps external brokers as they are', () => {
    const config = loadConfig({ env: { ...base, KAFKA_BROKERS: 'a:1,b:2' } });
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.externalKafka).toBe(true);
  });

  it('refuses a node count out of range, naming the key and the variable', () => {
    expect(() => loadConfig({ env: { ...base, KAFKA_NODES: '0' } })).toThrow(
      /kafka\.nodes = 0 \(from environment variable KAFKA_NODES\)/,
    );
    const file = sourcesFile(
      "kafka: { brokers: ['127.0.0.1:9092'], nodes: 'three', topics: {} }\ninfluxdb: { url: 'http://127.0.0.1:8086', org: o, bucket: b, tokenFile: t }\ngateway: { port: 8080 }\n",
    );
    expect(() => loadConfig({ file, env: base })).toThrow(/kafka\.nodes = "three"/);
  });
});
