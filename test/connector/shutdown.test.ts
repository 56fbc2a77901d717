import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../lib/ports.ts';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { readGroupLag } from '../../scaling/lag/reader.ts';
import { projectRoot } from '../../system/config.ts';
import { produce, readTopic, waitForZeroLag } from './support/kafka.ts';
import { uniqueName } from './support/harness.ts';
import { createStageTopics } from './support/stage.ts';
import { stageSuite } from './support/suite.ts';

describe('`cdnfaas connector` as a process', () => {
  const suite = stageSuite();

  it('answers its health check, and on SIGTERM commits the batches in flight, leaves its groups and exits 0', async () => {
    const name = uniqueName('term');
    const input = `${name}-in`;
    const output = `${name}-out`;
    const total = 3_000;
    await createStageTopics(suite.harness, name, 6);
    await suite.harness.deploy({
      name,
      image: 'cdnfaas/connector-stage:0.1.0',
      annotations: { topic: input, 'cdnfaas.output': output, 'cdnfaas.batch.max-records': '50' },
      labels: { 'com.openfaas.scale.min': '2' },
      // Slow batches: some are always in flight when the signal comes.
      envVars: { BATCH_DELAY_MS: '1500' },
    });
    await suite.harness.waitForReady(name, 2);
    await produce(
      suite.harness.kafka,
      input,
      Array.from({ length: total }, (_, n) => ({ key: `t${n}`, value: JSON.stringify({ id: `t${n}`, n }) })),
    );

    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        join(projectRoot, 'bin/cdnfaas.mjs'),
        'connector',
        '--gateway',
        suite.harness.gatewayUrl,
        '--port',
        String(port),
        '--no-autoscale',
        '--credentials',
        join(suite.harness.home, 'credentials'),
      ],
      {
        env: {
          ...process.env,
          KAFKA_BROKERS: suite.harness.brokers.join(','),
          CDNFAAS_HOME: suite.harness.home,
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const lines: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + 30_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline) {
      healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (!healthy) await sleep(200);
    }
    expect(healthy).toBe(true);
    // Wait until it has committed something and has batches in flight.
    let lag = total;
    while (lag === total && Date.now() < deadline) {
      lag = (
        await readGroupLag(suite.harness.admin, { function: name, groupId: groupIdFor(name), topic: input })
      ).totalLag;
      await sleep(200);
    }
    expect(lag).toBeLessThan(total);
    const committedBefore = total - lag;

    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    const stopSeconds = (Date.now() - signalled) / 1000;
    expect(code).toBe(0);
    expect(stopSeconds).toBeLessThan(20);
    expect(lines.some((line) => line.includes('"connector stopped"'))).toBe(true);

    const after = await readGroupLag(suite.harness.admin, {
      function: name,
      groupId: groupIdFor(name),
      topic: input,
    });
    const committedAfter = total - after.totalLag;
    // The batches that were in flight at the signal were finished and committed, not dropped.
    expect(committedAfter).toBeGreaterThan(committedBefore);
    expect(lines.some((line) => line.includes('batch dropped'))).toBe(false);
    const { groups } = await suite.harness.admin.describeGroups([groupIdFor(name)]);
    expect(groups[0]?.members).toHaveLength(0);
    // Exactly what was committed has its outputs, no more, no less.
    expect(await readTopic(suite.harness.kafka, output, committedAfter, 20_000, 1_000)).toHaveLength(
      committedAfter,
    );

    // A new connector takes over from the committed offsets: each input once in the output, overall.
    await suite.harness.startConnector();
    await waitForZeroLag(suite.harness.admin, groupIdFor(name), input, 90_000);
    const outputs = await readTopic(suite.harness.kafka, output, total, 30_000);
    expect(outputs).toHaveLength(total);
    expect(new Set(outputs.map((record) => record.key)).size).toBe(total);
  });
});
