/**
 * A real gateway on a real socket for scenario tests: its own cdnfaas home in a temp folder,
 * the echo fixture function built by the real build into that home's image store.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../../lib/logger.ts';
import { buildStack } from '../../../runtime/build/index.ts';
import { openImageStore } from '../../../runtime/images/index.ts';
import {
  createGateway,
  listenGateway,
  type Gateway,
  type GatewayOptions,
} from '../../../runtime/gateway/server.ts';
import { projectRoot } from '../../../system/config.ts';

export const echoStack = join(projectRoot, 'test', 'fixtures', 'stack.echo.yml');

export interface TestGateway {
  url: string;
  home: string;
  gateway: Gateway;
  user: string;
  password: string;
  /** Authorization header value for /system/*. */
  auth: string;
  logger: Logger;
  stop(): Promise<void>;
}

/** Builds the echo fixture under each tag given, into the image store of `home`. */
export async function buildEchoImages(home: string, tags: string[]): Promise<void> {
  for (const tag of tags) {
    await buildStack({ stackFile: echoStack, filter: 'echo', config: { home }, images: { echo: tag } });
  }
}

export interface TestGatewayOptions {
  /** Image references to build from the echo fixture before starting. */
  echoImages?: string[];
  limits?: GatewayOptions['limits'];
  provider?: GatewayOptions['provider'];
  /** Reuse this home (its images and saved functions) instead of a fresh one; it is kept on stop. */
  home?: string;
  /** The gateway's own APIHighInvocationRate evaluator (default off). */
  alerting?: GatewayOptions['alerting'];
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'cdnfaas-gw-'));
  if (options.home === undefined) await buildEchoImages(home, options.echoImages ?? ['cdnfaas/echo:0.1.0']);
  const logger = createLogger({ service: 'gateway', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const gateway = createGateway({
    home,
    projectRoot,
    images: openImageStore(home),
    logger,
    closeGraceMs: 1_000,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.alerting === undefined ? {} : { alerting: options.alerting }),
    provider: {
      health: {
        startupIntervalMs: 5,
        periodMs: 250,
        timeoutMs: 1_000,
        failureThreshold: 3,
        startupTimeoutMs: 30_000,
      },
      backoff: { initialMs: 100, maxMs: 2_000, resetAfterMs: 10_000 },
      drainTimeoutMs: 10_000,
      killTimeoutMs: 3_000,
      ...options.provider,
    },
  });
  const url = await listenGateway(gateway, '127.0.0.1', 0);
  const user = readFileSync(gateway.credentialFiles.userFile, 'utf8').trim();
  const password = readFileSync(gateway.credentialFiles.passwordFile, 'utf8').trim();
  return {
    url,
    home,
    gateway,
    user,
    password,
    auth: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    logger,
    stop: async () => {
      await gateway.stop();
      if (options.home === undefined) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A /system call with the gateway's credentials; `body` is sent as JSON. */
export function systemRequest(
  gw: TestGateway,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${gw.url}${path}`, {
    method,
    headers: { authorization: gw.auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The same call answered with its status and, when the answer is JSON, its parsed body. */
export async function systemCall(gw: TestGateway, method: string, path: string, body?: unknown) {
  const res = await systemRequest(gw, method, path, body);
  return {
    status: res.status,
    json: res.headers.get('content-type')?.includes('json') ? await res.json() : undefined,
  };
}
