import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictionSchema } from '../../contracts/prediction.ts';
import { finalUser, isRootUser, parseDockerfile, stagesOf } from '../../runtime/build/dockerfile.ts';
import { listFiles, shrinkwrapStack, type ShrinkwrappedContext } from '../../runtime/build/shrinkwrap.ts';
import { loadStackFile } from '../../runtime/stack/stack-file.ts';
import { freePort } from '../../lib/ports.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import { provided } from '../functions/support/records.ts';
import { trainSampleModel, type TrainedModel } from '../functions/support/model.ts';
import {
  argDefaults,
  contextSources,
  copyProject,
  runBuildStage,
  startImage,
  waitForHealth,
} from './support/project.ts';
import { describeWithFaasCli } from '../support/faas-cli.ts';

/**
 * `faas-cli build --shrinkwrap -f stack.yml` as `npx cdnfaas build --shrinkwrap` reproduces it,
 * on a copy of the project with a freshly trained model: what each build context holds, that the
 * Dockerfile only copies what is there, and that its build stage turns a context into an image
 * folder that serves predictions. The real faas-cli's own contexts are compared as well (skipped
 * without faas-cli on PATH, failing in CI).
 */

let model: TrainedModel;
let project: string;
let contexts: Map<string, ShrinkwrappedContext>;
let copyPaths: string[];

beforeAll(async () => {
  model = await trainSampleModel(1500, 11);
  project = copyProject(model.dir);
  copyPaths = loadStackFile(join(project, 'stack.yml')).copy.map((path) => path.replace(/^\.\//, ''));
  contexts = new Map(
    shrinkwrapStack({ stackFile: join(project, 'stack.yml'), root: project }).map((c) => [c.function, c]),
  );
}, 300_000);

describe('cdnfaas build --shrinkwrap', () => {
  it('writes build/<fn> for every function of stack.yml', () => {
    expect([...contexts.keys()].sort()).toEqual(['load-data', 'load-predictions', 'predict', 'provide']);
    for (const context of contexts.values())
      expect(context.dir).toBe(join(project, 'build', context.function));
  });

  it('holds the template, its lockfile, the handler and every configuration.copy path in each context', () => {
    expect(copyPaths).toEqual(['contracts', 'lib', 'ml', 'functions/shared']);
    const template = listFiles(join(project, 'template', 'node20-ts'));
    for (const context of contexts.values()) {
      const files = new Set(context.files);
      for (const file of [
        'Dockerfile',
        'package.json',
        'package-lock.json',
        'bundle.mjs',
        'function/handler.ts',
      ]) {
        expect(files, `${context.function}: ${file}`).toContain(file);
      }
      const handler = listFiles(join(project, 'functions', context.function)).map((f) => `function/${f}`);
      const copied = copyPaths.flatMap((path) =>
        listFiles(join(project, path)).map((f) => `function/${path}/${f}`),
      );
      expect(context.files).toEqual([...new Set([...template, ...handler, ...copied])].sort());
    }
  });

  it('carries a lockfile that pins what the template package.json asks for', () => {
    const dir = contexts.get('predict')!.dir;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages[''].dependencies).toEqual(manifest.dependencies);
    for (const [name, version] of Object.entries(manifest.dependencies as Record<string, string>)) {
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    }
  });

  it("puts predict's trained model files into its context, byte for byte", () => {
    const dir = join(contexts.get('predict')!.dir, 'function', 'model');
    for (const file of ['model.onnx', 'preprocessing.json', 'metadata.json']) {
      expect(readFileSync(join(dir, file)).equals(readFileSync(join(model.dir, file))), file).toBe(true);
    }
    expect(existsSync(join(contexts.get('provide')!.dir, 'function', 'model'))).toBe(false);
  });
});

describe('the node20-ts Dockerfile against a build context', () => {
  it('copies from the context only what the context holds', () => {
    for (const context of contexts.values()) {
      for (const source of contextSources(join(context.dir, 'Dockerfile'))) {
        expect(existsSync(join(context.dir, source)), `${context.function}: COPY ${source}`).toBe(true);
      }
    }
  });

  it('has a watchdog, a build and a ship stage; ships non-root, in http mode, with a health check', () => {
    const instructions = parseDockerfile(
      readFileSync(join(contexts.get('predict')!.dir, 'Dockerfile'), 'utf8'),
    );
    const stages = stagesOf(instructions);
    expect(stages.map((stage) => stage.name)).toEqual(['watchdog', 'build', 'ship']);
    expect(isRootUser(finalUser(stages))).toBe(false);
    const ship = stages.at(-1)!.instructions;
    expect(ship.some((i) => i.keyword === 'HEALTHCHECK')).toBe(true);
    const env = ship
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toMatch(/mode="http"/);
    expect(env).toMatch(/fprocess="node index.mjs"/);
    expect(ship.find((i) => i.keyword === 'CMD')?.args).toBe('["fwatchdog"]');
  });

  it('bundles exactly the paths stack.yml copies (SHARED_PATHS agrees with configuration.copy)', () => {
    const args = argDefaults(join(contexts.get('predict')!.dir, 'Dockerfile'));
    expect(args.SHARED_PATHS!.split(/\s+/)).toEqual(copyPaths);
  });

  it("turns predict's context into an image folder that serves predictions on its own", async () => {
    const work = runBuildStage(contexts.get('predict')!.dir);
    const dist = join(work, 'dist');
    for (const file of [
      'index.mjs',
      'function/handler.mjs',
      'function/model/model.onnx',
      'node_modules/onnxruntime-node/package.json',
    ]) {
      expect(existsSync(join(dist, file)), file).toBe(true);
    }
    // No sources or tests ship; the model does.
    expect(listFiles(join(dist, 'function')).filter((file) => file.endsWith('.ts'))).toEqual([]);
    // Outside the project, so nothing resolves from its node_modules: the folder stands alone.
    const image = mkdtempSync(join(tmpdir(), 'cdnfaas-image-'));
    cpSync(dist, image, { recursive: true });
    const port = await freePort();
    const child = startImage(image, port);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitForHealth(port, child);
      const record = provided((await readCsvRecords(model.csv)).slice(0, 1))[0]!;
      const answer = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(record),
      });
      expect(answer.status, output).toBe(200);
      const prediction = predictionSchema.parse(await answer.json());
      expect(prediction.sample_id).toBe(record.sample_id);
      const refused = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sample_id: 'not a record' }),
      });
      expect(refused.status).toBe(400);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 60_000);

  it('ships no native packages for a function that imports none (provide)', () => {
    const work = runBuildStage(contexts.get('provide')!.dir);
    expect(existsSync(join(work, 'dist', 'function', 'handler.mjs'))).toBe(true);
    expect(existsSync(join(work, 'dist', 'node_modules'))).toBe(false);
  });
});

describeWithFaasCli('faas-cli build --shrinkwrap', (faasCli) => {
  it('writes the same files as cdnfaas build --shrinkwrap', () => {
    const other = copyProject(model.dir);
    execFileSync(faasCli, ['build', '--shrinkwrap', '-f', 'stack.yml'], { cwd: other, stdio: 'pipe' });
    for (const name of readdirSync(join(other, 'build'))) {
      expect(listFiles(join(other, 'build', name)), name).toEqual(contexts.get(name)?.files);
    }
    expect(readdirSync(join(other, 'build')).sort()).toEqual([...contexts.keys()].sort());
  });
});
