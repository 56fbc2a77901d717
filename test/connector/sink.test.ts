import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { readGroupLag } from '../../scaling/lag/reader.ts';
import { createTopics, metricValue, produce, readTopic, waitForZeroLag } from './support/kafka.ts';
import { uniqueName } from './support/harness.ts';
import { stageSuite } from './support/suite.ts';

describe('a sink stage', () => {
  const suite = stageSuite();

  it('commits only after the function answered 2xx, and dead-letters nothing while its database is down', async () => {
    const name = uniqueName('sink');
    const input = `${name}-in`;
    await createTopics(suite.harness.admin, [{ topic: input, partitions: 3 }]);
    const downFor = 8_000;
    await suite.harness.deploy({
      name,
      image: 'cdnfaas/connector-stage:0.1.0',
      // No output topic: a sink. Every non-empty call fails until FAIL_UNTIL, as a write to a database that is down would.
      annotations: { topic: input },
      envVars: { FAIL_UNTIL: String(Date.now() + downFor) },
    });
    await suite.harness.waitForReady(name, 1);
    await produce(
      suite.harness.kafka,
      input,
      Array.from({ length: 600 }, (_, n) => ({ key: `s${n}`, value: JSON.stringify({ id: `s${n}`, n }) })),
    );
    const connector = await suite.harness.startConnector();

    await sleep(downFor - 3_000);
    const during = await readGroupLag(suite.harness.admin, {
      function: name,
      groupId: groupIdFor(name),
      topic: input,
    });
    expect(during.partitions.every((partition) => partition.committedOffset === null)).toBe(true);
    expect(during.totalLag).toBe(600);
    const metrics = await (await fetch(`${connector.url}/metrics`)).text();
    expect(
      metricValue(metrics, 'cdnfaas_connector_retries_total', { function: name, kind: 'waiting' }),
    ).toBeGreaterThan(0);

    await waitForZeroLag(suite.harness.admin, groupIdFor(name), input, 60_000);
    expect(await readTopic(suite.harness.kafka, `${input}.dlq`, 0, 3_000, 1_000)).toHaveLength(0);
    const after = await (await fetch(`${connector.url}/metrics`)).text();
    expect(
      metricValue(after, 'cdnfaas_connector_records_total', { function: name, outcome: 'committed' }),
    ).toBe(600);
  });
});
