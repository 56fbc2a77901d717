import type { Command } from 'commander';
import { dashboardNeedsAuth, protectDashboard, type DashboardAuthSetting } from '../../dashboard/access.ts';
import { mountDashboard } from '../../dashboard/gateway-mount.ts';
import { ensureCredentials } from '../../runtime/gateway/credentials.ts';
import { createLogger } from '../../lib/logger.ts';
import { createGateway, listenGateway } from '../../runtime/gateway/server.ts';
import { openImageStore } from '../../runtime/images/store.ts';
import { readyHealth } from '../../deploy/local/monitoring-service.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import type { AlertingMode } from '../../scaling/http/gateway-rule.ts';
import { loadConfig, projectRoot } from '../../system/config.ts';

const alertingModes: AlertingMode[] = ['auto', 'gateway', 'off'];

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
    .option(
      '--host <address>',
      'address to listen on; beyond loopback the dashboard asks for the gateway credentials',
      '127.0.0.1',
    )
    .option(
      '--dashboard-auth <setting>',
      'basic auth on /ui: auto (in secure mode and beyond loopback), on, off (refused in secure mode)',
      'auto',
    )
    .option(
      '--alerting <mode>',
      'who evaluates APIHighInvocationRate for HTTP-called functions: auto (Prometheus and AlertManager when both answer, else the gateway), gateway, off (default: CDNFAAS_ALERTING or auto)',
    )
    .action(async (options: { port?: number; host: string; dashboardAuth: string; alerting?: string }) => {
      const config = loadConfig();
      // Decided before anything starts, so a refused setting stops the command at once.
      const dashboardAuth = dashboardNeedsAuth({
        secure: config.secure,
        host: options.host,
        setting: options.dashboardAuth as DashboardAuthSetting,
      });
      const logger = createLogger({ service: 'gateway' });
      const port = options.port ?? config.gateway.port;
      const mode = options.alerting ?? process.env.CDNFAAS_ALERTING ?? 'auto';
      if (!alertingModes.includes(mode as AlertingMode)) {
        throw new CdnfaasError(
          'INVALID_INPUT',
          `--alerting ${mode} is not one of ${alertingModes.join(', ')}`,
          {
            hint: 'use auto, gateway or off',
          },
        );
      }
      const gateway = createGateway({
        home: config.home,
        projectRoot,
        images: openImageStore(config.home),
        logger,
        alerting: {
          mode: mode as AlertingMode,
          externalAlerting: async () => {
            const [prometheus, alertmanager] = await Promise.all([
              readyHealth(`http://127.0.0.1:${config.prometheus.port}`),
              readyHealth(`http://127.0.0.1:${config.alertmanager.port}`),
            ]);
            return prometheus.healthy && alertmanager.healthy;
          },
        },
      });
      if (dashboardAuth) protectDashboard(gateway.app, ensureCredentials(config.home));
      mountDashboard(gateway, config, port, logger);
      const url = await listenGateway(gateway, options.host, port);
      // The functions deployed before the last stop come back, as after a faasd restart.
      await gateway.provider.restore();
      logger.info(
        { url, passwordFile: gateway.credentialFiles.passwordFile },
        'gateway ready; log in with: npx cdnfaas credentials',
      );
      logger.info(
        { dashboard: `${url}/ui/`, basicAuth: dashboardAuth },
        dashboardAuth ? 'dashboard behind the gateway basic auth' : 'dashboard open on loopback',
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
