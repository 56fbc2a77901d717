import type { Command } from 'commander';
import { mountDashboard } from '../../dashboard/gateway-mount.ts';
import { createLogger } from '../../lib/logger.ts';
import { createGateway, listenGateway } from '../../runtime/gateway/server.ts';
import { openImageStore } from '../../runtime/images/store.ts';
import { loadConfig, projectRoot } from '../../system/config.ts';

/** `cdnfaas gateway`: the OpenFaaS-compatible gateway and process provider in the foreground. */
export function register(program: Command): void {
  program
    .command('gateway')
    .description(
      'run the OpenFaaS-compatible gateway (REST API, process provider, image store) in the foreground',
    )
    .option(
      '--port <port>',
      'port to listen on (default: gateway.port of system/sources.yaml, or GATEWAY_PORT)',
      Number,
    )
    .action(async (options: { port?: number }) => {
      const config = loadConfig();
      const logger = createLogger({ service: 'gateway' });
      const port = options.port ?? config.gateway.port;
      const gateway = createGateway({
        home: config.home,
        projectRoot,
        images: openImageStore(config.home),
        logger,
      });
      mountDashboard(gateway, config, port, logger);
      const url = await listenGateway(gateway, '127.0.0.1', port);
      // The functions deployed before the last stop come back, as after a faasd restart.
      await gateway.provider.restore();
      logger.info(
        { url, passwordFile: gateway.credentialFiles.passwordFile },
        'gateway ready; log in with: npx cdnfaas credentials',
      );
      await new Promise<void>((resolve) => {
        const shutdown = (signal: NodeJS.Signals): void => {
          logger.info({ signal }, 'stopping: draining and stopping replicas');
          gateway.stop().then(resolve, (error: unknown) => {
            logger.error({ err: error }, 'stop failed');
            resolve();
          });
        };
        process.once('SIGTERM', shutdown);
        process.once('SIGINT', shutdown);
      });
      process.exit(0);
    });
}
