// Two real models for the model lifecycle tests (rollback, shadow): trained by the CLI on
// generated data, the first installed in a copy of the project the run's system starts from, the
// second installed after it and its predict image built beside the first.
import { execFile } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installModel } from '../../../ml/export.ts';
import { buildStack, modelImageEnv, modelImages } from '../../../runtime/build/index.ts';
import { projectRoot } from '../../../system/config.ts';
import { copyProject } from '../../kubernetes/support/project.ts';

const cli = join(projectRoot, 'bin', 'cdnfaas.mjs');
const run = promisify(execFile);

/** `cdnfaas <args>` with `env` over the test's environment; its standard output. */
export async function cdnfaas(args: string[], env: Record<string, string> = {}): Promise<string> {
  return (await run(process.execPath, [cli, ...args], { cwd: projectRoot, env: { ...process.env, ...env } }))
    .stdout;
}

/** A model as the project's predict image carries it: name@version, image tag, image reference. */
export interface ModelImage {
  model: string;
  tag: string;
  ref: string;
}

/**
 * Trains two models that differ (other data, seed and k range, so another name@version) into
 * `dir`/model-a and `dir`/model-b, and writes `dir`/stream.csv of `streamRows` rows to replay.
 */
export async function trainTwoModels(
  dir: string,
  seeds: { a: string; b: string; stream: string },
  streamRows: number,
): Promise<void> {
  for (const [name, seed, kMax] of [
    ['a', seeds.a, '4'],
    ['b', seeds.b, '3'],
  ] as const) {
    await cdnfaas(['generate-data', '--rows', '3000', '--seed', seed, '--out', join(dir, `${name}.csv`)]);
    await cdnfaas([
      'train',
      '--data',
      join(dir, `${name}.csv`),
      '--out',
      join(dir, `model-${name}`),
      '--seed',
      seed,
      '--k-max',
      kMax,
    ]);
  }
  const stream = ['generate-data', '--rows', String(streamRows), '--seed', seeds.stream];
  await cdnfaas([...stream, '--out', join(dir, 'stream.csv')]);
}

/** The environment that leaves stack.yml's PREDICT_TAG and PREDICT_MODEL to the installed model. */
export function installedModelEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PREDICT_TAG: '', PREDICT_MODEL: '' };
}

function predictImage(stackFile: string): ModelImage {
  const image = modelImages(stackFile, installedModelEnv())[0]!;
  return { model: image.installed.model, tag: image.tag, ref: image.ref };
}

/** A copy of the project with model a of `dir` installed, and that model's predict image. */
export function projectWithModelA(dir: string): { project: string; stackFile: string; a: ModelImage } {
  const project = copyProject(join(dir, 'model-a'));
  symlinkSync(join(projectRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
  const stackFile = join(project, 'stack.yml');
  return { project, stackFile, a: predictImage(stackFile) };
}

/** Installs model b of `dir` in the project and builds its predict image into `home`'s store. */
export async function buildModelB(
  dir: string,
  project: string,
  stackFile: string,
  home: string,
): Promise<ModelImage> {
  await installModel(join(dir, 'model-b'), join(project, 'functions', 'predict', 'model'));
  const b = predictImage(stackFile);
  await buildStack({
    stackFile,
    filter: 'predict',
    config: { home },
    env: modelImageEnv(stackFile, installedModelEnv()),
    checkModels: true,
  });
  return b;
}
