import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ConnectorService } from '../../connectors/kafka/service.ts';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { readGroupLag } from '../../scaling/lag/reader.ts';
import { produce, readTopic, waitForZeroLag } from './support/kafka.ts';
import { stageSuite } from './support/suite.ts';
import { deployStagePipeline } from './support/stage.ts';

const total = 60_000;
const partitions = 6;

describe('several connector instances (a Deployment with replicas)', () => {
  const suite = stageSuite();

  it('share the partitions and hand them over on join and abrupt leave with each input still exactly once', async () => {
    const { name, input, output } = await deployStagePipeline(suite.harness, 'rebalance', {
      partitions,
      replicas: 2,
      annotations: { 'cdnfaas.batch.max-records': '200' },
      envVars: { BATCH_DELAY_MS: '30' },
    });
    const record = (n: number) => ({ key: `r${n}`, value: JSON.stringify({ id: `r${n}`, n }) });
    // A first part of the backlog before the second instance joins, the rest only once it has
    // joined: however slow the join, both instances then have records on their partitions.
    const before = total * 0.4;
    let produced = before;
    await produce(
      suite.harness.kafka,
      input,
      Array.from({ length: before }, (_, n) => record(n)),
    );
    const consumed = async () =>
      produced -
      (await readGroupLag(suite.harness.admin, { function: name, groupId: groupIdFor(name), topic: input }))
        .totalLag;
    const waitConsumed = async (count: number) => {
      const deadline = Date.now() + 60_000;
      while ((await consumed()) < count) {
        if (Date.now() > deadline) throw new Error(`fewer than ${count} records consumed after 60 s`);
        await sleep(200);
      }
    };
    const held = (service: ConnectorService) =>
      (service.connector.snapshot()[0]?.partitions ?? []).map((entry) => entry.partition);

    // The first instance leaves without finishing its batches in flight, as a killed pod would.
    const first = await suite.harness.startConnector({ shutdownGraceMs: 0 });
    await waitConsumed(total * 0.15);
    const second = await suite.harness.startConnector();
    // The join is done when the two instances hold disjoint shares that cover every partition.
    const deadline = Date.now() + 60_000;
    let split = 0;
    while (Date.now() < deadline) {
      const mine = held(second);
      const theirs = held(first);
      split = mine.length;
      if (
        mine.length > 0 &&
        new Set([...mine, ...theirs]).size === partitions &&
        mine.length + theirs.length === partitions
      )
        break;
      await sleep(200);
    }
    expect(split, 'the second instance got a share of the partitions').toBeGreaterThan(0);
    expect(split).toBeLessThan(partitions);
    await produce(
      suite.harness.kafka,
      input,
      Array.from({ length: total - before }, (_, n) => record(before + n)),
    );
    produced = total;
    await waitConsumed(total * 0.55);
    await first.stop();
    await waitForZeroLag(suite.harness.admin, groupIdFor(name), input, 120_000);

    const outputs = await readTopic(suite.harness.kafka, output, total);
    expect(outputs).toHaveLength(total);
    expect(new Set(outputs.map((record) => record.key)).size).toBe(total);
    const lastOffset = new Map<number, bigint>();
    for (const record of outputs) {
      const { source } = JSON.parse(record.value!.toString()) as {
        source: { partition: number; offset: string };
      };
      const offset = BigInt(source.offset);
      expect(offset > (lastOffset.get(source.partition) ?? -1n)).toBe(true);
      lastOffset.set(source.partition, offset);
    }
  });
});
