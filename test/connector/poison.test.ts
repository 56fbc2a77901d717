import { describe, expect, it } from 'vitest';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { dlqHeader } from '../../connectors/kafka/publish-plan.ts';
import { readGroupLag } from '../../scaling/lag/reader.ts';
import { produce, readTopic, waitForZeroLag } from './support/kafka.ts';
import { stageSuite } from './support/suite.ts';
import { deployStagePipeline } from './support/stage.ts';

const total = Number(process.env.CONNECTOR_TEST_RECORDS ?? 100_000);
const partitions = 6;

type Poison = 'crash' | 'invalid' | 'not-json';

/** Every thousandth record is bad, in turn: one that crashes the whole batch, one the stage rejects, one that is not JSON. */
function inputRecord(n: number): { key: string; value: string; poison?: Poison } {
  const key = `k${n}`;
  if (n % 1000 !== 999) return { key, value: JSON.stringify({ id: key, n }) };
  const kinds: Poison[] = ['crash', 'invalid', 'not-json'];
  const poison = kinds[Math.floor(n / 1000) % 3]!;
  if (poison === 'crash') return { key, poison, value: JSON.stringify({ id: key, n, kind: 'poison' }) };
  if (poison === 'invalid') return { key, poison, value: JSON.stringify({ n }) };
  return { key, poison, value: `{"id": "${key}", n: broken` };
}

describe('poison records', () => {
  const suite = stageSuite();

  it(`at 1 in 1,000 all land in the DLQ with their reason while the other records flow and no partition stalls`, async () => {
    const { name, input, output } = await deployStagePipeline(suite.harness, 'poison', {
      partitions,
      replicas: 2,
    });
    const records = Array.from({ length: total }, (_, n) => inputRecord(n));
    const poisoned = new Map(
      records.filter((record) => record.poison !== undefined).map((record) => [record.key, record.poison!]),
    );

    const started = Date.now();
    const connector = await suite.harness.startConnector();
    await produce(suite.harness.kafka, input, records);
    await waitForZeroLag(suite.harness.admin, groupIdFor(name), input, 150_000);
    const drainSeconds = (Date.now() - started) / 1000;

    const lag = await readGroupLag(suite.harness.admin, {
      function: name,
      groupId: groupIdFor(name),
      topic: input,
    });
    expect(lag.partitions.map((partition) => partition.lag)).toEqual(new Array(partitions).fill(0));

    const dead = await readTopic(suite.harness.kafka, `${input}.dlq`, poisoned.size, 30_000);
    expect(dead.map((record) => record.key).sort()).toEqual([...poisoned.keys()].sort());
    for (const record of dead) {
      const poison = poisoned.get(record.key!)!;
      const original = records[Number(record.key!.slice(1))]!;
      expect(record.value!.toString()).toBe(original.value);
      expect(record.headers[dlqHeader.function]).toBe(name);
      expect(record.headers[dlqHeader.image]).toBe('cdnfaas/connector-stage:0.1.0');
      expect(record.headers[dlqHeader.sourceTopic]).toBe(input);
      expect(Number(record.headers[dlqHeader.sourcePartition])).toBeLessThan(partitions);
      expect(record.headers[dlqHeader.sourceOffset]).toMatch(/^\d+$/);
      const reason = record.headers[dlqHeader.reason]!;
      const by = record.headers[dlqHeader.rejectedBy];
      if (poison === 'crash') {
        expect(by).toBe('poison');
        expect(reason).toContain('poison record crashed the stage');
      } else if (poison === 'invalid') {
        expect(by).toBe('function');
        expect(reason).toMatch(/^id: /);
      } else {
        expect(by).toBe('connector');
        expect(reason).toContain('value is not JSON');
      }
    }

    const outputs = await readTopic(suite.harness.kafka, output, total - poisoned.size);
    expect(outputs).toHaveLength(total - poisoned.size);
    expect(outputs.some((record) => poisoned.has(record.key!))).toBe(false);
    expect(new Set(outputs.map((record) => record.key)).size).toBe(total - poisoned.size);

    // Bisection stays cheap: the whole run is a fraction of what one stalled partition per poison would cost.
    expect(drainSeconds, `drained in ${drainSeconds} s (log: ${suite.harness.logFile})`).toBeLessThan(120);
    const report = (await (await fetch(`${connector.url}/lag/${groupIdFor(name)}`)).json()) as {
      status: string;
      totalLag: number;
    };
    expect(report.status).not.toBe('STOP');
  });
});
