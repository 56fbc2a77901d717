import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { capacityTable, planCapacity, ratesFromReport } from '../../deploy/kubernetes/generator/capacity.ts';
import { readFunctionSettings } from '../../tools/lint/function-settings.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import {
  findDrift,
  generateFromRepository,
  manifestsDir,
  readInputs,
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

  k8s
    .command('capacity')
    .description(
      'replicas, partitions and lag targets for a target input rate, from measured per-replica throughput',
    )
    .requiredOption('--target <records/s>', 'records per second entering cdn_raw', Number)
    .option(
      '--report <file>',
      'benchmark report with stages.<function>.recordsPerSecondPerReplica',
      'bench/REPORT.json',
    )
    .option(
      '--rate <function=records/s...>',
      'a measured per-replica rate, overriding the report (repeatable)',
    )
    .option('--utilisation <fraction>', 'share of the measured rate to plan for', Number, 0.7)
    .option('--catch-up <seconds>', "seconds of work one replica's lag target represents", Number, 5)
    .action(
      (options: {
        target: number;
        report: string;
        rate?: string[];
        utilisation: number;
        catchUp: number;
      }) => {
        const inputs = readInputs();
        const triggered = inputs.stack.functions.flatMap((fn) => {
          const { settings } = readFunctionSettings(fn);
          return settings.topic === undefined ? [] : [{ name: fn.name, topic: settings.topic }];
        });
        const reportFile = join(projectRoot, options.report);
        const fromReport = existsSync(reportFile)
          ? ratesFromReport(
              JSON.parse(readFileSync(reportFile, 'utf8')),
              triggered.map((f) => f.name),
            ).rates
          : {};
        const given = Object.fromEntries(
          (options.rate ?? []).map((pair) => {
            const [fn, value] = pair.split('=');
            return [fn, Number(value)];
          }),
        );
        const rates: Record<string, number> = { ...fromReport, ...given };
        const missing = triggered.filter((f) => !(rates[f.name]! > 0)).map((f) => f.name);
        if (missing.length > 0) {
          throw new CdnfaasError(
            'INVALID_INPUT',
            `no measured records/s per replica for ${missing.join(', ')}`,
            {
              hint: `run the benchmarks (npm run bench) so that ${options.report} has stages.<function>.recordsPerSecondPerReplica, or pass --rate NAME=RECORDS_PER_S`,
            },
          );
        }
        const partitions = Object.fromEntries(inputs.sources.topics.map((t) => [t.name, t.partitions]));
        const plan = {
          target: options.target,
          utilisation: options.utilisation,
          catchUpSeconds: options.catchUp,
        };
        const rows = planCapacity(
          triggered.map((f) => ({
            function: f.name,
            perReplica: rates[f.name]!,
            partitions: partitions[f.topic] ?? 1,
          })),
          plan,
        );
        console.log(capacityTable(rows, plan));
      },
    );
}
