/**
 * Shadow, then promote. Two real models are trained on generated data; the running system starts
 * with the first, the second is built beside it and run as a shadow by `cdnfaas models shadow`:
 * on the same input in its own consumer group, writing only to <output>_shadow. Checked: the
 * shadow predicts exactly the records that arrive after it starts, with its own model, and never
 * writes to cdn_result; `models compare` prints agreement, anomaly rates and disagreements that
 * match the two topics; `models promote` makes the candidate the live model with its settings
 * kept and removes the shadow (function, group, topic); `models drop` removes a shadow and leaves
 * the live function as it was. Nothing is lost on the way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { getFunction } from '../../deploy/local/models/gateway-functions.ts';
import { compareShadow } from '../../deploy/local/models/compare.ts';
import { dropShadow, type ShadowContext } from '../../deploy/local/models/shadow.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';
import { buildModelB, cdnfaas, projectWithModelA, trainTwoModels } from './support/two-models.ts';

interface Model {
  model: string;
  ref: string;
}

describe('a candidate model in shadow, then promoted or dropped', () => {
  let dir: string;
  let project: string;
  let system: RunningSystem;
  let records: Awaited<ReturnType<typeof readCsvRecords>>;
  const models: Record<'a' | 'b', Model> = {} as never;
  const live = () => system.functions.predict!;
  /**
   * A Kafka admin of its own for each use: an admin that has read a topic's metadata fails every
   * later metadata refresh once that topic is deleted (promote and drop delete the shadow's).
   */
  const withContext = async <T>(action: (context: ShadowContext) => Promise<T>): Promise<T> => {
    const admin = system.kafka.admin();
    await admin.connect();
    try {
      return await action({ access: system.credentials, admin, live: live() });
    } finally {
      await admin.disconnect();
    }
  };
  const groupIds = () =>
    withContext(async ({ admin }) => (await admin.listGroups()).groups.map((g) => g.groupId));
  const topics = () => withContext(({ admin }) => admin.listTopics());
  /** The environment that points the CLI at this run's system. */
  const systemEnv = () => ({
    CDNFAAS_HOME: system.home,
    GATEWAY_PORT: new URL(system.gatewayUrl).port,
    KAFKA_BROKERS: system.config.kafka.brokers.join(','),
  });
  const lifecycle = (command: string, ...args: string[]) =>
    cdnfaas(['models', command, ...args, '--function', live(), '--gateway', system.gatewayUrl], systemEnv());
  const predictionsOf = async (topic: string, expected: number) =>
    (await system.readTopic(topic, expected, 90_000)).map(
      (record) =>
        JSON.parse(record.value!.toString('utf8')) as {
          sample_id: string;
          tag: string;
          pipeline_type: string;
        },
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cdnfaas-shadow-'));
    await trainTwoModels(dir, { a: '21', b: '22', stream: '23' }, 5000);
    records = await readCsvRecords(join(dir, 'stream.csv'));
    let stackFile: string;
    ({ project, stackFile, a: models.a } = projectWithModelA(dir));
    system = await startSystem({ label: 'shadow', stackFile });
    models.b = await buildModelB(dir, project, stackFile, system.home);
  }, 300_000);

  afterAll(async () => {
    if (system !== undefined) {
      await withContext(dropShadow).catch(() => undefined);
      await system.stop();
    }
    for (const path of [project, dir]) if (path !== undefined) rmSync(path, { recursive: true, force: true });
  });

  it('shadows on its own group and topic, compares, and promotes with the settings kept', async () => {
    expect(models.a.model).not.toBe(models.b.model);
    const [first, second, third] = [records.slice(0, 2000), records.slice(2000, 4000), records.slice(4000)];
    await system.replay(first, { maxRate: 2000 });
    await system.waitForStored(first.length, { timeoutMs: 120_000 });
    const firstIds = new Set((await predictionsOf('cdn_result', first.length)).map((p) => p.sample_id));
    const before = (await getFunction(system.credentials, live()))!;

    const started = await lifecycle('shadow', models.b.ref);
    expect(started).toContain(`${live()}-shadow runs ${models.b.model} (${models.b.ref})`);
    expect(started).toContain(`consumer group ${groupIdFor(`${live()}-shadow`)}`);
    await system.replay(second, { maxRate: 2000 });
    await system.waitForStored(first.length + second.length, { timeoutMs: 120_000 });

    // The shadow predicted the records that came after it started (it starts where the live
    // group is), each once, with its own model; cdn_result holds only the live model's.
    const shadowPredictions = await predictionsOf('cdn_result_shadow', second.length);
    const livePredictions = await predictionsOf('cdn_result', first.length + second.length);
    expect(livePredictions).toHaveLength(first.length + second.length);
    expect(new Set(livePredictions.map((p) => p.pipeline_type))).toEqual(new Set([models.a.model]));
    const secondIds = livePredictions.map((p) => p.sample_id).filter((id) => !firstIds.has(id));
    expect(secondIds).toHaveLength(second.length);
    expect(shadowPredictions.map((p) => p.sample_id).sort()).toEqual([...secondIds].sort());
    expect(new Set(shadowPredictions.map((p) => p.pipeline_type))).toEqual(new Set([models.b.model]));
    const shadowIds = new Set(shadowPredictions.map((p) => p.sample_id));
    expect(await groupIds()).toEqual(
      expect.arrayContaining([groupIdFor(live()), groupIdFor(`${live()}-shadow`)]),
    );

    // compare: both models over the same records, rates as the topics hold them.
    const comparison = await withContext((context) => compareShadow({ ...context, kafka: system.kafka }));
    expect(comparison.records).toBe(second.length);
    const rate = (list: { tag: string }[]) => list.filter((p) => p.tag === 'anomaly').length / list.length;
    expect(comparison.candidateAnomalyRate).toBeCloseTo(rate(shadowPredictions), 10);
    expect(comparison.liveAnomalyRate).toBeCloseTo(
      rate(livePredictions.filter((p) => shadowIds.has(p.sample_id))),
      10,
    );
    expect(comparison.clusterAgreement).toBeGreaterThan(0.3);
    expect(comparison.clusterAgreement).toBeLessThanOrEqual(1);
    const printed = await lifecycle('compare', '--examples', '3');
    process.stderr.write(`models compare:\n${printed}\n`);
    expect(printed).toContain(`records predicted by both: ${second.length}`);
    expect(printed).toMatch(/cluster agreement: \d+\.\d % after matching/);
    expect(printed).toMatch(/anomaly rate: +live \d+\.\d %, candidate \d+\.\d %/);
    expect(printed).toContain(models.a.model);
    expect(printed).toContain(models.b.model);
    if (comparison.disagreeing > 0)
      expect(printed).toMatch(/live: cluster \d+ (normal|anomaly) +candidate: cluster \d+/);

    // promote: the live function runs b with every other setting as it was; the shadow is gone.
    await lifecycle('promote');
    const after = (await getFunction(system.credentials, live()))!;
    expect(after.image).toBe(models.b.ref);
    expect(after.annotations).toEqual({ ...before.annotations, 'cdnfaas.model': models.b.model });
    expect(after.labels).toEqual(before.labels);
    expect(after.envVars).toEqual(before.envVars);
    expect(await getFunction(system.credentials, `${live()}-shadow`)).toBeUndefined();
    expect(await topics()).not.toContain(system.topic('cdn_result_shadow'));
    expect(await groupIds()).not.toContain(groupIdFor(`${live()}-shadow`));

    await system.replay(third, { maxRate: 2000 });
    const total = records.length;
    expect(await system.waitForStored(total, { timeoutMs: 120_000 })).toEqual({
      clientData: total,
      predictions: total,
    });
    const seen = new Set(livePredictions.map((p) => p.sample_id));
    const latest = (await predictionsOf('cdn_result', total)).filter((p) => !seen.has(p.sample_id));
    expect(latest).toHaveLength(third.length);
    // Records already in flight at the rollover may still get model a; the rest get b.
    const byB = latest.filter((p) => p.pipeline_type === models.b.model).length;
    expect(byB).toBeGreaterThan(third.length * 0.9);
    expect(await system.deadLetters('cdn_data', 0, 2_000)).toEqual([]);
  }, 300_000);

  it('drop removes the shadow, its group and topic, and leaves the live function as it was', async () => {
    const before = (await getFunction(system.credentials, live()))!;
    await lifecycle('shadow', models.a.ref);
    expect((await getFunction(system.credentials, `${live()}-shadow`))?.image).toBe(models.a.ref);
    const dropped = await lifecycle('drop');
    expect(dropped).toContain(`dropped ${live()}-shadow (${models.a.model})`);
    expect(await getFunction(system.credentials, `${live()}-shadow`)).toBeUndefined();
    expect(await topics()).not.toContain(system.topic('cdn_result_shadow'));
    expect(await groupIds()).not.toContain(groupIdFor(`${live()}-shadow`));
    const after = (await getFunction(system.credentials, live()))!;
    expect(after.image).toBe(before.image);
    expect(after.annotations).toEqual(before.annotations);
    // Nothing left to compare or drop: each says what to do.
    await expect(lifecycle('compare')).rejects.toThrow(/no shadow of .* is running/);
  }, 180_000);
});
