import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { CdnfaasError } from '../../lib/errors.ts';
import {
  findDrift,
  generateFromRepository,
  manifestsDir,
  writeManifests,
} from '../../deploy/kubernetes/generator/io.ts';
import { projectRoot } from '../../system/config.ts';

/** Validation needs ajv (a dev dependency): loaded only by the commands that validate. */
async function validateFiles(files: Map<string, string>): Promise<string[]> {
  const { createValidator } = await import('../../deploy/kubernetes/generator/validate.ts');
  const validate = createValidator();
  return [...files.entries()]
    .filter(([file]) => file !== 'kustomization.yaml')
    .flatMap(([file, text]) => validate(file, text).map((p) => `${p.file}: ${p.object}: ${p.message}`));
}

const shown = (path: string) => relative(process.cwd(), path) || '.';

/** `cdnfaas k8s generate|check|validate`: the Kubernetes manifests, generated from stack.yml and sources.yaml. */
export function register(program: Command): void {
  const k8s = program
    .command('k8s')
    .description('Kubernetes manifests generated from stack.yml and system/sources.yaml');

  k8s
    .command('generate')
    .description(`write the manifests to ${shown(manifestsDir)}`)
    .action(async () => {
      const generated = generateFromRepository();
      const problems = await validateFiles(generated);
      if (problems.length > 0) {
        throw new CdnfaasError(
          'INVALID_INPUT',
          `the generated manifests do not validate:\n${problems.join('\n')}`,
          {
            hint: 'fix deploy/kubernetes/generator (the sources passed lint, so the generator is at fault)',
          },
        );
      }
      const drift = findDrift(generated);
      writeManifests(generated);
      for (const d of drift.filter((d) => d.state === 'extra'))
        console.log(`note: ${shown(join(manifestsDir, d.file))} is not generated; remove it if it is stale`);
      console.log(
        `wrote ${generated.size} files to ${shown(manifestsDir)} (${drift.filter((d) => d.state !== 'extra').length} changed)`,
      );
    });

  k8s
    .command('check')
    .description(
      'regenerate in memory; fail, listing the files, when the committed manifests differ or do not validate',
    )
    .action(async () => {
      const generated = generateFromRepository();
      const drift = findDrift(generated);
      const onDisk = new Map(
        [...generated.keys()].flatMap((file) => {
          try {
            return [[file, readFileSync(join(manifestsDir, file), 'utf8')] as const];
          } catch {
            return [];
          }
        }),
      );
      const problems = await validateFiles(onDisk);
      if (drift.length > 0 || problems.length > 0) {
        const lines = [
          ...drift.map((d) => `${d.state.padEnd(9)} ${shown(join(manifestsDir, d.file))}`),
          ...problems.map((p) => `invalid   ${p}`),
        ];
        throw new CdnfaasError(
          'CONFLICT',
          `the Kubernetes manifests disagree with their sources:\n${lines.join('\n')}`,
          {
            hint: 'run `npx cdnfaas k8s generate` and commit the result',
          },
        );
      }
      console.log(
        `${shown(manifestsDir)}: ${generated.size} files match stack.yml and system/sources.yaml, and validate`,
      );
    });

  k8s
    .command('validate')
    .description('validate the manifests on disk against the JSON schemas in deploy/kubernetes/schemas')
    .action(async () => {
      const generated = generateFromRepository();
      const onDisk = new Map(
        [...generated.keys()].map((file) => [file, readFileSync(join(manifestsDir, file), 'utf8')]),
      );
      const problems = await validateFiles(onDisk);
      if (problems.length > 0) {
        throw new CdnfaasError('INVALID_INPUT', `manifests that do not validate:\n${problems.join('\n')}`, {
          hint: 'run `npx cdnfaas k8s generate`; if that does not help, fix deploy/kubernetes/generator',
        });
      }
      console.log(
        `${onDisk.size - 1} manifest files validate (schemas in ${shown(join(projectRoot, 'deploy/kubernetes/schemas'))})`,
      );
    });
}
