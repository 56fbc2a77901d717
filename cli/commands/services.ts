import type { Command } from 'commander';
import { servicesDown, servicesStatus, servicesUp, type ProgressEvent } from '../../deploy/local/index.ts';
import { formatProgress, formatReports } from '../../deploy/local/report.ts';
import { loadConfig } from '../../system/config.ts';

function progressPrinter(): (event: ProgressEvent) => void {
  const started = Date.now();
  return (event) => process.stderr.write(`${formatProgress(event, Date.now() - started)}\n`);
}

export function register(program: Command): void {
  const services = program
    .command('services')
    .description('the real Kafka, InfluxDB and faas-cli cdnfaas runs on: obtain, cache, start, check, stop');

  services
    .command('up')
    .description(
      'start what is missing and return once everything is healthy (the first run downloads and builds)',
    )
    .action(async () => {
      const config = loadConfig();
      const started = Date.now();
      process.stderr.write(`cdnfaas services up: cache ${config.cacheDir}, data ${config.home}\n`);
      const reports = await servicesUp(config, { onProgress: progressPrinter() });
      console.log(formatReports(reports));
      console.log(`services ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

  services
    .command('down')
    .description('stop the services cdnfaas started, and nothing else')
    .action(async () => {
      const reports = await servicesDown(loadConfig(), { onProgress: progressPrinter() });
      console.log(formatReports(reports));
    });

  services
    .command('status')
    .description('each service with its address, state and version')
    .action(async () => {
      console.log(formatReports(await servicesStatus(loadConfig())));
    });
}
