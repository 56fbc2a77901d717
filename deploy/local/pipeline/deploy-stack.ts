// Deploys a stack file's functions through the OpenFaaS REST API, as `faas-cli deploy` does:
// PUT /system/functions to update, POST when the function does not exist yet.
import { request } from 'undici';
import { basicAuthHeader } from '../../../lib/basic-auth.ts';
import { CdnfaasError } from '../../../lib/errors.ts';
import type { StackFunction } from '../../../runtime/stack/stack-file.ts';

export interface GatewayAccess {
  url: string;
  user: string;
  password: string;
}

/** The FunctionDeployment body faas-cli sends for one stack function. Pure. */
export function toFunctionDeployment(fn: StackFunction) {
  return {
    service: fn.name,
    image: fn.image,
    envProcess: fn.fprocess ?? '',
    envVars: fn.environment,
    labels: fn.labels,
    annotations: fn.annotations,
    secrets: fn.secrets,
    constraints: fn.constraints,
    limits: fn.limits ?? null,
    requests: fn.requests ?? null,
    readOnlyRootFilesystem: fn.readonlyRootFilesystem,
    ...(fn.namespace ? { namespace: fn.namespace } : {}),
  };
}

async function send(access: GatewayAccess, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) {
  const response = await request(new URL(path, access.url), {
    method,
    headers: { authorization: basicAuthHeader(access), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.statusCode, text: await response.body.text() };
}

function refused(what: string, status: number, text: string): CdnfaasError {
  return new CdnfaasError(
    'UPSTREAM_FAILED',
    `gateway refused ${what} with ${status}: ${text.trim().slice(0, 300)}`,
    {
      hint: 'read the message above; `npx cdnfaas build` builds missing images',
    },
  );
}

export async function deployFunction(access: GatewayAccess, fn: StackFunction): Promise<void> {
  const body = toFunctionDeployment(fn);
  let result = await send(access, 'PUT', '/system/functions', body);
  if (result.status === 404) result = await send(access, 'POST', '/system/functions', body);
  if (result.status >= 300) throw refused(`deploy of ${fn.name}`, result.status, result.text);
}

/** Creates the secret, or updates its value when it exists. The value is never logged. */
export async function upsertSecret(access: GatewayAccess, name: string, value: string): Promise<void> {
  const body = { name, value };
  let result = await send(access, 'PUT', '/system/secrets', body);
  if (result.status === 404) result = await send(access, 'POST', '/system/secrets', body);
  if (result.status >= 300) throw refused(`secret ${name}`, result.status, result.text);
}

/** Waits until every named function has at least one ready replica. */
export async function waitForReady(
  access: GatewayAccess,
  names: string[],
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(names);
  while (pending.size > 0) {
    for (const name of [...pending]) {
      const result = await send(access, 'GET', `/system/function/${name}`);
      if (
        result.status === 200 &&
        (JSON.parse(result.text) as { availableReplicas?: number }).availableReplicas! > 0
      ) {
        pending.delete(name);
      }
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      throw new CdnfaasError(
        'SERVICE_UNHEALTHY',
        `functions not ready after ${timeoutMs / 1000} s: ${[...pending].join(', ')}`,
        {
          hint: 'see their logs with `faas-cli logs NAME` or GET /system/logs?name=NAME',
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
