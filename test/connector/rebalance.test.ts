import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupIdFor } from '../../connectors/kafka/function-spec.ts';
import { readGroupLag } from '../../runtime/lag/reader.ts';
import { createTopics, produce, readTopic, waitForZeroLag } from './support/kafka.ts';
import { stageStack, startHarness, uniqueName, type Harness } from './support/harness.ts';

const total = 60_000;
const partitions = 6;

describe('several connector instances (a Deployment with replicas)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness([{ stack: stageStack, function: 'stage' }]);
  });
  afterAll(async () => harness?.close());

  it('share the partitions and hand them over on join and abrupt leave with each input still exactly once', async () => {
    const name = uniqueName('rebalance');
    const input = `${name}-in`;
    const output = `${name}-out`;
    await createTopics(harness.admin, [
      { topic: input, partitions },
      { topic: output, partitions },
    ]);
    await harness.deploy({
      name,
      image: 'cdnfaas/connector-stage:0.1.0',
      annotations: { topic: input, 'cdnfaas.output': output, 'cdnfaas.batch.max-records': '200' },
      labels: { 'com.openfaas.scale.min': '2' },
      envVars: { BATCH_DELAY_MS: '30' },
    });
    await harness.waitForReady(name, 2);
    await produce(
      harness.kafka,
      input,
      Array.from({ length: total }, (_, n) => ({ key: `r${n}`, value: JSON.stringify({ id: `r${n}`, n }) })),
    );
    const consumed = async () =>
      total -
      (await readGroupLag(harness.admin, { function: name, groupId: groupIdFor(name), topic: input }))
        .totalLag;
    const waitConsumed = async (count: number) => {
      const deadline = Date.now() + 60_000;
      while ((await consumed()) < count && Date.now() < deadline) await sleep(200);
    };

    // The first instance leaves without finishing its batches in flight, as a killed pod would.
    const first = await harness.startConnector({ shutdownGraceMs: 0 });
    await waitConsumed(total * 0.15);
    const second = await harness.startConnector();
    await waitConsumed(total * 0.45);
    const split = second.connector.snapshot()[0]?.partitions.length ?? 0;
    await first.stop();
    await waitForZeroLag(harness.admin, groupIdFor(name), input, 120_000);
    expect(split, 'the second instance got a share of the partitions').toBeGreaterThan(0);
    expect(split).toBeLessThan(partitions);

    const outputs = await readTopic(harness.kafka, output, total);
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
