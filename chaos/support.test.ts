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
      isolatedSources(base, { kafka: 1, kafkaController: 2, influx: 3, gateway: 4, connector: 5 }),
    ).toEqual({
      kafka: { brokers: ['127.0.0.1:1'], controllerPort: 2, topics: { cdn_raw: { partitions: 6 } } },
      influxdb: { url: 'http://127.0.0.1:3', org: 'o' },
      gateway: { port: 4 },
    });
  });
});
