// The first run's sample data and model: generated and trained once, then reused.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CdnfaasError } from '../../../lib/errors.ts';
import { projectRoot, type SystemConfig } from '../../../system/config.ts';

/** The predict function bundles this folder into its image, so a model rollback is an image rollback. */
export const predictModelDir = join(projectRoot, 'functions', 'predict', 'model');

export function sampleDataFile(config: SystemConfig): string {
  return join(config.home, 'sample', 'cdn_sample.csv');
}

function runCli(args: string[], what: string): void {
  const result = spawnSync(process.execPath, [join(projectRoot, 'bin', 'cdnfaas.mjs'), ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new CdnfaasError(
      'INTERNAL',
      `${what} failed (npx cdnfaas ${args.join(' ')} exited ${result.status})`,
      {
        hint: 'read its output above, fix the cause and run the command again',
      },
    );
  }
}

/** Writes the sample data with the generator unless it is there; returns its path. */
export function ensureSampleData(config: SystemConfig, rows: number, log: (line: string) => void): string {
  const sample = sampleDataFile(config);
  if (existsSync(sample)) log(`  using ${sample}`);
  else
    runCli(
      ['generate-data', '--rows', String(rows), '--seed', '1', '--out', sample],
      'generating sample data',
    );
  return sample;
}

/** Trains a model on the sample data and installs it into predict, unless predict has one. */
export function ensureModel(sample: string, log: (line: string) => void): void {
  if (existsSync(join(predictModelDir, 'model.onnx'))) log(`  using the model in ${predictModelDir}`);
  else runCli(['train', '--data', sample, '--install', predictModelDir], 'training');
}
