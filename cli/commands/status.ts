import type { Command } from 'commander';
import { credentialsFromDirectory, credentialsFromEnvironment } from '../../connectors/kafka/credentials.ts';
import { formatStatus } from '../../dashboard/status/format.ts';
import { gatherStatus } from '../../dashboard/status/gather.ts';
import { servicesStatus } from '../../deploy/local/index.ts';
import { credentialFiles } from '../../runtime/gateway/credentials.ts';
import { loadConfig } from '../../system/config.ts';
import { readInfluxQueryToken } from '../../system/influx-credentials.ts';

interface StatusFlags {
  gateway?: string;
  connector?: string;
  json: boolean;
  timeout: string;
}

/** `cdnfaas status`: services, functions with replicas and images, lag per group, records stored, topics. */
export function register(program: Command): void {
  program
    .command('status')
    .description(
      "the pipeline's state: services, functions and replicas, consumer lag, records stored, topics",
    )
    .option('--gateway <url>', 'gateway URL (default: OPENFAAS_URL or http://127.0.0.1:<gateway.port>)')
    .option(
      '--connector <url>',
      'connector URL, for its lag monitor (default: http://127.0.0.1:$CONNECTOR_PORT or 8082)',
    )
    .option('--timeout <ms>', 'how long to wait for each source', '3000')
    .option('--json', 'print the report as JSON', false)
    .action(async (flags: StatusFlags) => {
      const config = loadConfig();
      const report = await gatherStatus({
        config,
        gatewayUrl: flags.gateway ?? process.env.OPENFAAS_URL ?? `http://127.0.0.1:${config.gateway.port}`,
        connectorUrl: flags.connector ?? `http://127.0.0.1:${process.env.CONNECTOR_PORT ?? 8082}`,
        credentials: credentialsFromEnvironment(
          process.env,
          credentialsFromDirectory(credentialFiles(config.home).dir),
        ),
        influxToken: () => readInfluxQueryToken(config),
        services: () => servicesStatus(config),
        timeoutMs: Number(flags.timeout) > 0 ? Number(flags.timeout) : 3000,
      });
      console.log(flags.json ? JSON.stringify(report, null, 2) : formatStatus(report));
    });
}
