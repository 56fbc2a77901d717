import { describe, expect, it } from 'vitest';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { metricValue, produce, readTopic, waitForZeroLag } from './support/kafka.ts';
import { stageSuite } from './support/suite.ts';
import { deployStagePipeline } from './support/stage.ts';

const total = Number(process.env.CONNECTOR_TEST_RECORDS ?? 100_000);
const partitions = 6;

describe('a topic-to-topic stage through the gateway', () => {
  const suite = stageSuite();

  it(`delivers each of ${total} inputs exactly once, in partition order, while a replica is killed every 0.7 s`, async () => {
    const { name, input, output } = await deployStagePipeline(suite.harness, 'eo', {
      partitions,
      replicas: 3,
      annotations: { 'cdnfaas.batch.max-records': '500' },
      // Batches take a while, so the kills land on calls in flight: a cycle invokes for 200 ms
      // and publishes for about as long, and a replica dies every 0.7 s.
      envVars: { BATCH_DELAY_MS: '200' },
    });

    const keys = Array.from({ length: total }, (_, i) => `k${i}`);
    const connector = await suite.harness.startConnector();
    const kills: number[] = [];
    const killer = setInterval(() => {
      const pid = suite.harness.killReplica(name);
      if (pid !== undefined) kills.push(pid);
    }, 700);
    try {
      await produce(
        suite.harness.kafka,
        input,
        keys.map((key, n) => ({ key, value: JSON.stringify({ id: key, n }) })),
      );
      await waitForZeroLag(suite.harness.admin, groupIdFor(name), input, 150_000);
    } finally {
      clearInterval(killer);
    }
    expect(kills.length, `replicas killed (log: ${suite.harness.logFile})`).toBeGreaterThanOrEqual(2);
    const metrics = await (await fetch(`${connector.url}/metrics`)).text();
    console.log(
      metrics
        .split('\n')
        .filter(
          (l) => l.includes(name) && (l.includes('_sum') || l.includes('_count') || l.includes('retries')),
        )
        .join('\n'),
    );
    expect(
      metricValue(metrics, 'cdnfaas_connector_retries_total', { function: name, kind: 'retry' }),
      'batches retried after a kill',
    ).toBeGreaterThan(0);

    const outputs = await readTopic(suite.harness.kafka, output, total);
    expect(outputs).toHaveLength(total);
    const seen = new Set(outputs.map((record) => record.key));
    expect(seen.size).toBe(total);
    expect([...seen].sort()).toEqual([...keys].sort());

    // Order: within each output partition, the records of every source partition keep their offsets' order.
    const lastOffset = new Map<string, bigint>();
    for (const record of outputs) {
      const value = JSON.parse(record.value!.toString()) as {
        id: string;
        source: { partition: number; offset: string };
      };
      expect(value.id).toBe(record.key);
      expect(record.partition).toBe(value.source.partition);
      const stream = `${record.partition}<-${value.source.partition}`;
      const offset = BigInt(value.source.offset);
      expect(offset > (lastOffset.get(stream) ?? -1n), `order in ${stream} at ${offset}`).toBe(true);
      lastOffset.set(stream, offset);
    }
    expect(await readTopic(suite.harness.kafka, `${input}.dlq`, 0, 5_000, 1_000)).toHaveLength(0);
    expect(connector.connector.snapshot().find((entry) => entry.function === name)?.state).toBe('running');
  });
});
