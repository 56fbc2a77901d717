import type { Command } from 'commander';
import { startConnectorService } from './service.ts';
import { credentialsFromDirectory, credentialsFromEnvironment } from './credentials.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import { createLogger } from '../../lib/logger.ts';
import { credentialFiles } from '../../runtime/gateway/credentials.ts';
import { loadConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';

interface ConnectorFlags {
  gateway?: string;
  port: string;
  host: string;
  autoscale: boolean;
  credentials?: string;
  instanceId?: string;
}

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new CdnfaasError('CONFIG_INVALID', `--port ${text} is not a TCP port`, {
      hint: 'use a number from 1 to 65535 (0 picks a free one)',
    });
  }
  return value;
}

/**
 * `cdnfaas connector`: the Kafka connector in the foreground, with its lag monitor and (unless
 * --no-autoscale, e.g. where KEDA scales) the lag autoscaler. SIGTERM/SIGINT finish the batches
 * in flight, commit them and leave the consumer groups before exiting.
 */
export function registerConnectorCommand(program: Command): void {
  program
    .command('connector')
    .description(
      'run the Kafka connector (batches to functions, outputs, dead letters, lag monitor, autoscaler)',
    )
    .option(
      '--gateway <url>',
      'OpenFaaS gateway URL (default: OPENFAAS_URL or http://127.0.0.1:<gateway.port>)',
    )
    .option(
      '--port <port>',
      'HTTP port for /healthz, /metrics, /lag, /functions, /scaling',
      process.env.CONNECTOR_PORT ?? '8082',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--credentials <dir>',
      'folder with basic-auth-user and basic-auth-password (default: <cdnfaas home>/credentials, where the gateway keeps them)',
    )
    .option('--no-autoscale', 'do not run the lag autoscaler in this process')
    .option(
      '--instance-id <id>',
      'names this instance in its transactional ids: unique among running connectors, the same after a restart (default: CONNECTOR_INSTANCE_ID or <host name>-<port>)',
      process.env.CONNECTOR_INSTANCE_ID,
    )
    .action(async (flags: ConnectorFlags) => {
      const config = loadConfig();
      const logger = createLogger({ service: 'connector' });
      const credentials = credentialsFromEnvironment(
        process.env,
        credentialsFromDirectory(flags.credentials ?? credentialFiles(config.home).dir),
      );
      const service = await startConnectorService({
        kafka: kafkaConnection(config, 'connector'),
        kafkaClient: config.connector.kafkaClient,
        gatewayUrl: flags.gateway ?? process.env.OPENFAAS_URL ?? `http://127.0.0.1:${config.gateway.port}`,
        credentials,
        logger,
        port: port(flags.port),
        host: flags.host,
        autoscale: flags.autoscale,
        ...(flags.instanceId ? { instanceId: flags.instanceId } : {}),
      });
      await new Promise<void>((resolve) => {
        const shutdown = (signal: NodeJS.Signals): void => {
          logger.info({ signal }, 'signal received');
          service.stop().then(resolve, (error: unknown) => {
            logger.error({ error: (error as Error).message }, 'unclean shutdown');
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGTERM', shutdown);
        process.once('SIGINT', shutdown);
      });
    });
}
