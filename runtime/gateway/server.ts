import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CdnfaasError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ImageResolver } from '../images/types.ts';
import { inheritedEnv } from '../provider/deployment-rules.ts';
import { ProcessProvider, type ProcessProviderOptions } from '../provider/process-provider.ts';
import { SecretStore } from '../provider/secret-store.ts';
import { buildGateway } from './app.ts';
import { AsyncInvoker } from './async-invoker.ts';
import { ensureCredentials, type CredentialFiles } from './credentials.ts';
import { defaultLimits, type GatewayLimits } from './deps.ts';
import { readGatewayInfo } from './info.ts';
import { GatewayMetrics } from './metrics.ts';
import { GatewayRateRule, type AlertingMode } from '../../scaling/http/gateway-rule.ts';
import type { RateRuleSettings } from '../../scaling/http/rate-rule.ts';

export interface GatewayOptions {
  /** The cdnfaas home: credentials, secrets, replica state and function logs live under it. */
  home: string;
  projectRoot: string;
  images: ImageResolver;
  logger: Logger;
  limits?: Partial<GatewayLimits>;
  /** Provider tuning (health checks, backoff, drain); paths and collaborators are set here. */
  provider?: Partial<Omit<ProcessProviderOptions, 'stateDir' | 'images' | 'secrets' | 'logger'>>;
  asyncConcurrency?: number;
  /** How long stop() lets open requests finish before cutting their connections, ms. */
  closeGraceMs?: number;
  /**
   * Scaling of HTTP-called functions on APIHighInvocationRate without Prometheus: `gateway`
   * evaluates the rule here, `auto` only while `externalAlerting` says Prometheus and
   * AlertManager are not both answering, `off` (the default) leaves it to AlertManager alone.
   */
  alerting?: {
    mode: AlertingMode;
    externalAlerting?: () => Promise<boolean>;
    rule?: Partial<RateRuleSettings>;
    intervalMs?: number;
  };
}

export interface Gateway {
  app: FastifyInstance;
  provider: ProcessProvider;
  secrets: SecretStore;
  credentialFiles: CredentialFiles;
  /** The gateway's own APIHighInvocationRate evaluator (idle in mode off). */
  rateRule: GatewayRateRule;
  /** Stops accepting requests, cancels async calls, drains and stops every replica. */
  stop(): Promise<void>;
}

/** Where the gateway keeps OpenFaaS secrets and per-replica state under the cdnfaas home. */
export function gatewayPaths(home: string): { stateDir: string; secretsDir: string } {
  return { stateDir: join(home, 'gateway'), secretsDir: join(home, 'gateway', 'secrets', 'openfaas-fn') };
}

/** Builds the gateway and its process provider without listening. */
export function createGateway(options: GatewayOptions): Gateway {
  const logger = options.logger;
  const credentials = ensureCredentials(options.home);
  if (credentials.created)
    logger.info(
      { userFile: credentials.files.userFile, passwordFile: credentials.files.passwordFile },
      'gateway credentials created',
    );
  const paths = gatewayPaths(options.home);
  const secrets = new SecretStore(paths.secretsDir);
  const provider = new ProcessProvider({
    baseEnv: inheritedEnv(),
    ...options.provider,
    stateDir: paths.stateDir,
    stateFile: join(paths.stateDir, 'functions.json'),
    images: options.images,
    secrets,
    logger: logger.child({ component: 'provider' }),
  });
  const limits = { ...defaultLimits, ...options.limits };
  const metrics = new GatewayMetrics(provider);
  const asyncInvoker = new AsyncInvoker({
    provider,
    metrics,
    logger: logger.child({ component: 'async' }),
    limits,
    concurrency: options.asyncConcurrency ?? 8,
    queueLimit: 10_000,
  });
  const app = buildGateway({
    provider,
    secrets,
    metrics,
    logger,
    credentials: { user: credentials.user, password: credentials.password },
    info: readGatewayInfo(options.projectRoot),
    asyncInvoker,
    limits,
  });
  const rateRule = new GatewayRateRule({
    mode: options.alerting?.mode ?? 'off',
    provider,
    successCounts: () => metrics.successCounts(),
    logger: logger.child({ component: 'alert-scaling' }),
    ...(options.alerting?.externalAlerting ? { externalAlerting: options.alerting.externalAlerting } : {}),
    ...(options.alerting?.rule ? { settings: options.alerting.rule } : {}),
    ...(options.alerting?.intervalMs ? { intervalMs: options.alerting.intervalMs } : {}),
  });
  rateRule.start();
  // If the gateway dies without stop(), its replicas must not outlive it.
  const killReplicas = (): void => provider.killAll();
  process.once('exit', killReplicas);
  let stopping: Promise<void> | undefined;
  return {
    app,
    provider,
    secrets,
    credentialFiles: credentials.files,
    rateRule,
    stop: () => {
      stopping ??= (async () => {
        const started = Date.now();
        // In-flight calls get a grace period; a connection still open after it is cut.
        const force = setTimeout(() => {
          logger.warn({ graceMs: options.closeGraceMs ?? 5_000 }, 'closing the connections still open');
          app.server.closeAllConnections();
        }, options.closeGraceMs ?? 5_000);
        await rateRule.stop();
        await app.close();
        clearTimeout(force);
        const closedMs = Date.now() - started;
        await asyncInvoker.stop();
        await provider.stop();
        process.off('exit', killReplicas);
        logger.info({ httpClosedMs: closedMs, stoppedMs: Date.now() - started }, 'gateway stopped');
      })();
      return stopping;
    },
  };
}

/** Builds the gateway and listens on host:port; PORT_IN_USE names the port and what to do. */
export async function listenGateway(gateway: Gateway, host: string, port: number): Promise<string> {
  try {
    return await gateway.app.listen({ host, port });
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new CdnfaasError('PORT_IN_USE', `port ${port} on ${host} is taken, the gateway cannot listen`, {
        hint: 'stop what uses it (is a gateway already running? `npx cdnfaas credentials` shows its URL), or set GATEWAY_PORT',
        cause: error,
      });
    }
    throw error;
  }
}
