import { describe, expect, it } from 'vitest';
import { parseKcatLine } from './read-back.ts';
import { isolatedSources } from './system.ts';

describe('kcat read-back', () => {
  it('turns a kcat -J line into a record with its headers', () => {
    const line = JSON.stringify({
      topic: 'cdn_raw.dlq',
      partition: 0,
      offset: 12,
      tstype: 'create',
      ts: 1795689118780,
      broker: 1,
      headers: ['cdnfaas-source-partition', '3', 'cdnfaas-source-offset', '326'],
      key: null,
      payload: '{"n":1}',
    });
    expect(parseKcatLine(line)).toEqual({
      partition: 0,
      offset: '12',
      key: null,
      value: '{"n":1}',
      headers: { 'cdnfaas-source-partition': '3', 'cdnfaas-source-offset': '326' },
      timestamp: 1795689118780,
    });
  });
});

describe('isolated sources', () => {
  it('moves every port and keeps the topics and the rest', () => {
    const base = {
      kafka: { brokers: ['127.0.0.1:9092'], controllerPort: 9093, topics: { cdn_raw: { partitions: 6 } } },
      influxdb: { url: 'http://127.0.0.1:8086', org: 'o' },
      gateway: { port: 8080 },
    };
    expect(
      isolatedSources(base, {
        kafka: 1,
        kafkaController: 2,
        kafkaNodes: [{ broker: 1, controller: 2 }],
        influx: 3,
        gateway: 4,
        connector: 5,
      }),
    ).toEqual({
      kafka: {
        brokers: ['127.0.0.1:1'],
        controllerPort: 2,
        nodes: 1,
        controllerPorts: [2],
        topics: { cdn_raw: { partitions: 6 } },
      },
      influxdb: { url: 'http://127.0.0.1:3', org: 'o' },
      gateway: { port: 4 },
    });
  });

  it('gives each node of a cluster its broker and controller ports', () => {
    const base = { kafka: { brokers: ['127.0.0.1:9092'], controllerPort: 9093 }, influxdb: {}, gateway: {} };
    const nodes = [
      { broker: 11, controller: 21 },
      { broker: 12, controller: 22 },
      { broker: 13, controller: 23 },
    ];
    const sources = isolatedSources(base, {
      kafka: 11,
      kafkaController: 21,
      kafkaNodes: nodes,
      influx: 3,
      gateway: 4,
      connector: 5,
    });
    expect(sources.kafka).toMatchObject({
      brokers: ['127.0.0.1:11', '127.0.0.1:12', '127.0.0.1:13'],
      nodes: 3,
      controllerPorts: [21, 22, 23],
    });
  });
});
