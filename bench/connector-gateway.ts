import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentialsFromDirectory, type CredentialSource } from '../connectors/kafka/credentials.ts';
import { startConnectorService, type ConnectorService } from '../connectors/kafka/service.ts';
import { basicAuthHeader } from '../lib/basic-auth.ts';
import { CdnfaasError } from '../lib/errors.ts';
import type { KafkaConnection } from '../lib/kafka.ts';
import type { Logger } from '../lib/logger.ts';
import { freePort } from '../lib/ports.ts';
import { buildStack } from '../runtime/build/index.ts';
import { credentialFiles } from '../runtime/gateway/credentials.ts';
import { openImageStore } from '../runtime/images/store.ts';
import { projectRoot } from '../system/config.ts';

/** The gateway as it runs for real: `cdnfaas gateway` in its own process, in a scratch home. */
export interface GatewayProcess {
  url: string;
  home: string;
  credentials: CredentialSource;
  deploy(body: {
    service: string;
    image: string;
    annotations: Record<string, string>;
    labels?: Record<string, string>;
    envVars?: Record<string, string>;
  }): Promise<void>;
  remove(name: string): Promise<void>;
  waitForReady(name: string, count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The connector under measurement, in this process, in front of the gateway: replicas stay as
 * deployed (no autoscaler), and functions are discovered every 500 ms so a run starts at once.
 */
export function startBenchConnector(
  gateway: GatewayProcess,
  kafka: KafkaConnection,
  logger: Logger,
): Promise<ConnectorService> {
  return startConnectorService({
    kafka,
    gatewayUrl: gateway.url,
    credentials: gateway.credentials,
    logger,
    port: 0,
    autoscale: false,
    discoveryIntervalMs: 500,
  });
}

export async function startGatewayProcess(build: {
  stack: string;
  function: string;
}): Promise<GatewayProcess> {
  const home = mkdtempSync(join(tmpdir(), 'cdnfaas-bench-'));
  await buildStack({
    stackFile: build.stack,
    filter: build.function,
    config: { home },
    store: openImageStore(home),
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [join(projectRoot, 'bin/cdnfaas.mjs'), 'gateway', '--port', String(port)],
    {
      env: { ...process.env, CDNFAAS_HOME: home, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new CdnfaasError('SERVICE_UNHEALTHY', `the gateway did not answer on ${url} within 30 s`);
    }
    await sleep(100);
  }
  const credentials = credentialsFromDirectory(credentialFiles(home).dir);
  const system = (path: string, method: string, body?: unknown): Promise<Response> =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: basicAuthHeader(credentials()!), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    url,
    home,
    credentials,
    async deploy(body) {
      const response = await system('/system/functions', 'POST', body);
      if (response.status >= 300)
        throw new CdnfaasError(
          'UPSTREAM_FAILED',
          `deploy ${body.service}: ${response.status} ${await response.text()}`,
        );
    },
    async remove(name) {
      const response = await system('/system/functions', 'DELETE', { functionName: name });
      if (response.status >= 300)
        throw new CdnfaasError(
          'UPSTREAM_FAILED',
          `delete ${name}: ${response.status} ${await response.text()}`,
        );
    },
    async waitForReady(name, count, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const response = await system(`/system/function/${name}`, 'GET');
        if (
          response.status === 200 &&
          ((await response.json()) as { availableReplicas: number }).availableReplicas >= count
        )
          return;
        await sleep(100);
      }
      throw new CdnfaasError(
        'SERVICE_UNHEALTHY',
        `${name} did not get ${count} ready replicas in ${timeoutMs} ms`,
      );
    },
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    },
  };
}
