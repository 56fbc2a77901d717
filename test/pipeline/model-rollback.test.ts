/**
 * A model version is an image version, and a model rollback is a redeploy with faas-cli. Two
 * real models are trained on generated data (different seeds and k); the running system starts
 * with the first, then the real faas-cli deploys the second (PREDICT_TAG and PREDICT_MODEL with
 * a stack file of the run's isolated predict) and the first again, while records stream through
 * the pipeline. Checked: the pipeline_type of stored predictions before, after and back, every
 * record stored exactly once, no failed call, the settings kept, and describe's annotation.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { imageModel } from '../../cli/commands/images.ts';
import { modelMetadataSchema, pipelineType } from '../../ml/model-bundle.ts';
import { modelImageEnv } from '../../runtime/build/index.ts';
import { openImageStore } from '../../runtime/images/index.ts';
import { loadStackFile } from '../../runtime/stack/stack-file.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import { describeWithFaasCli, faasCliEnv, faasCliOk } from '../support/faas-cli.ts';
import { isolateFunction } from '../support/system-parts.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';
import { buildModelB, installedModelEnv, projectWithModelA, trainTwoModels } from './support/two-models.ts';

interface FunctionStatus {
  image: string;
  availableReplicas?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  envVars?: Record<string, string>;
  secrets?: string[];
}

describeWithFaasCli('model rollback with faas-cli while records stream', (faasCli) => {
  let dir: string;
  let project: string;
  let system: RunningSystem;
  const models: Record<'a' | 'b', { model: string; tag: string; ref: string }> = {} as never;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cdnfaas-rollback-'));
    await trainTwoModels(dir, { a: '11', b: '12', stream: '13' }, 8000);
    let stackFile: string;
    ({ project, stackFile, a: models.a } = projectWithModelA(dir));

    // The system builds and deploys predict with model a; model b is built beside it.
    system = await startSystem({ label: 'rollback', stackFile });
    models.b = await buildModelB(dir, project, stackFile, system.home);

    // faas-cli deploys the run's predict (isolated name and topics) from a stack file whose
    // image and cdnfaas.model are stack.yml's, substituted from PREDICT_TAG and PREDICT_MODEL.
    const raw = loadStackFile(stackFile, { env: modelImageEnv(stackFile, installedModelEnv()) });
    const fn = isolateFunction(
      raw.functions.find((f) => f.name === 'predict')!,
      system.id,
    );
    const stackYaml = {
      version: '1.0',
      provider: { name: 'openfaas', gateway: system.gatewayUrl },
      functions: {
        [fn.name]: {
          lang: 'node20-ts',
          handler: './functions/predict',
          image: 'cdnfaas/predict:${PREDICT_TAG:-0.1.0}',
          labels: fn.labels,
          annotations: { ...fn.annotations, 'cdnfaas.model': '${PREDICT_MODEL:-unset}' },
          environment: fn.environment,
        },
      },
    };
    writeFileSync(join(project, 'rollback.yml'), stringify(stackYaml));
    await faasCliOk(faasCli, ['login', '--password-stdin', '--gateway', system.gatewayUrl], {
      cwd: project,
      env: faasCliEnv(dir),
      input: system.credentials.password,
    });
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    for (const path of [project, dir]) if (path !== undefined) rmSync(path, { recursive: true, force: true });
  });

  const name = () => system.functions.predict!;
  const status = async (): Promise<FunctionStatus> => {
    const response = await fetch(`${system.gatewayUrl}/system/function/${name()}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${system.credentials.user}:${system.credentials.password}`).toString('base64')}`,
      },
    });
    return (await response.json()) as FunctionStatus;
  };
  /** `PREDICT_TAG=<tag> PREDICT_MODEL=<model> faas-cli deploy -f rollback.yml --filter <predict>`, as README gives it. */
  const deploy = async (to: { tag: string; model: string; ref: string }): Promise<number> => {
    const out = await faasCliOk(
      faasCli,
      ['deploy', '-f', 'rollback.yml', '--filter', name(), '--gateway', system.gatewayUrl],
      { cwd: project, env: { ...faasCliEnv(dir), PREDICT_TAG: to.tag, PREDICT_MODEL: to.model } },
    );
    expect(out).toContain('Deployed. 202 Accepted.');
    const deadline = Date.now() + 90_000;
    for (;;) {
      const now = await status();
      if (now.image === to.ref && (now.availableReplicas ?? 0) > 0) break;
      if (Date.now() > deadline)
        throw new Error(`${name()} did not roll to ${to.ref}: ${JSON.stringify(now)}`);
      await sleep(200);
    }
    // The old replicas drain their batches after the new ones are ready.
    await sleep(5_000);
    return Date.now();
  };

  it('predictions carry model a, then b after the deploy, then a after the rollback; none lost, none failed', async () => {
    expect(models.a.model).not.toBe(models.b.model);
    expect(models.a.tag).toMatch(/^0\.1\.0-m[0-9a-f]{10}$/);
    // npx cdnfaas images names the model of each predict image.
    const store = openImageStore(system.home);
    expect(imageModel(store.resolve(models.a.ref)?.dir)).toBe(models.a.model);
    expect(imageModel(store.resolve(models.b.ref)?.dir)).toBe(models.b.model);

    const before = await status();
    expect(before.image).toBe(models.a.ref);
    expect(before.annotations?.['cdnfaas.model']).toBe(models.a.model);

    const records = await readCsvRecords(join(dir, 'stream.csv'));
    const tail = records.splice(records.length - 1000);
    const streaming = system.replay(records, { maxRate: 250 });
    while ((await system.counts()).predictions < 1000) await sleep(250);
    const forwardAt = Date.now();
    const forwardDone = await deploy(models.b);
    const described = await faasCliOk(faasCli, ['describe', name(), '--gateway', system.gatewayUrl], {
      cwd: project,
      env: faasCliEnv(dir),
    });
    expect(described).toContain(`cdnfaas.model: ${models.b.model}`);
    expect(described).toMatch(new RegExp(`Image:\\s+${models.b.ref.replace(/[.]/g, '\\.')}`));
    await sleep(5_000);
    const backAt = Date.now();
    const backDone = await deploy(models.a);
    await streaming;
    await system.replay(tail, { maxRate: 500 });
    const total = records.length + tail.length;
    const stored = await system.waitForStored(total, { timeoutMs: 120_000 });
    expect(stored).toEqual({ clientData: total, predictions: total });

    const rows = await system.query('SELECT pipeline_type, sample_id FROM predictions');
    const window = (from: number, to: number) => {
      const types = rows
        .filter((row) => {
          const at = Date.parse(String(row.time));
          return at >= from && at < to;
        })
        .map((row) => String(row.pipeline_type));
      return { count: types.length, types: [...new Set(types)].sort() };
    };
    expect(new Set(rows.map((row) => String(row.pipeline_type)))).toEqual(
      new Set([models.a.model, models.b.model]),
    );
    const beforeWindow = window(0, forwardAt);
    const afterWindow = window(forwardDone, backAt);
    const backWindow = window(backDone, Number.POSITIVE_INFINITY);
    expect(beforeWindow.types).toEqual([models.a.model]);
    expect(afterWindow.types).toEqual([models.b.model]);
    expect(backWindow.types).toEqual([models.a.model]);
    for (const part of [beforeWindow, afterWindow, backWindow]) expect(part.count).toBeGreaterThan(100);

    // No call failed: every invocation of predict answered 200, and nothing was dead-lettered.
    const metrics = await (await fetch(`${system.gatewayUrl}/metrics`)).text();
    const invocations = metrics
      .split('\n')
      .filter((line) => line.startsWith('gateway_function_invocation_total{') && line.includes(name()));
    expect(invocations.length).toBeGreaterThan(0);
    for (const line of invocations) expect(line).toContain('code="200"');
    expect(await system.deadLetters('cdn_data', 0, 2_000)).toEqual([]);

    // The function's settings are the ones it had: only the image and the model changed.
    const after = await status();
    expect(after.image).toBe(models.a.ref);
    expect(after.annotations).toEqual(before.annotations);
    expect(after.labels).toEqual(before.labels);
    expect(after.envVars).toEqual(before.envVars);
    const metadata = modelMetadataSchema.parse(
      JSON.parse(readFileSync(join(dir, 'model-a', 'metadata.json'), 'utf8')),
    );
    expect(pipelineType(metadata)).toBe(models.a.model);
  }, 300_000);
});
