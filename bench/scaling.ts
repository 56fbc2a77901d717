/**
 * `npm run bench:scaling`: the scaling curve alone (bench/scenarios/scaling.ts), its table and
 * verdict on stdout. BENCH_SCALING_REPLICAS, BENCH_SCALING_PARTITIONS, BENCH_RECORDS.
 */
import { servicesUp } from '../deploy/local/index.ts';
import { CdnfaasError } from '../lib/errors.ts';
import { loadConfig } from '../system/config.ts';
import { scalingSection } from './reporting/markdown-scaling.ts';
import { countsFrom, measureScaling } from './scenarios/scaling.ts';

async function main(): Promise<void> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const config = loadConfig();
  await servicesUp(config, { onProgress: (event) => say(`  ${event.service}: ${event.message}`) });
  const result = await measureScaling({
    replicas: countsFrom(process.env.BENCH_SCALING_REPLICAS, [1, 2, 4]),
    partitions: countsFrom(process.env.BENCH_SCALING_PARTITIONS, [6, 12]),
    records: Number(process.env.BENCH_RECORDS ?? 40_000),
    say,
  });
  process.stdout.write(`${scalingSection({ status: 'measured', ...result }).join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:scaling failed: ${error instanceof CdnfaasError ? error.describe() : String((error as Error).stack ?? error)}\n`,
  );
  process.exit(1);
});
