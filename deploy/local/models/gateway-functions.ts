// The gateway's function API as `models shadow|promote|drop` use it: read a function, deploy one
// (PUT, or POST when it does not exist yet, as faas-cli deploy), remove one, wait for a rollout.
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { basicAuthHeader } from '../../../lib/basic-auth.ts';
import { CdnfaasError } from '../../../lib/errors.ts';
import type { GatewayAccess } from '../pipeline/deploy-stack.ts';
import type { DeployedFunction, Deployment } from './shadow-plan.ts';

async function send(access: GatewayAccess, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) {
  let response;
  try {
    response = await request(new URL(path, access.url), {
      method,
      headers: { authorization: basicAuthHeader(access), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new CdnfaasError('SERVICE_UNREACHABLE', `the gateway at ${access.url} does not answer`, {
      hint: 'start the pipeline with npm run up, or pass --gateway',
      cause,
    });
  }
  return { status: response.statusCode, text: await response.body.text() };
}

function refused(what: string, status: number, text: string): CdnfaasError {
  return new CdnfaasError('UPSTREAM_FAILED', `the gateway refused ${what} with ${status}: ${text.trim().slice(0, 300)}`);
}

/** The function's status, or undefined when it is not deployed. */
export async function getFunction(access: GatewayAccess, name: string): Promise<(DeployedFunction & { availableReplicas?: number }) | undefined> {
  const result = await send(access, 'GET', `/system/function/${encodeURIComponent(name)}`);
  if (result.status === 404) return undefined;
  if (result.status !== 200) throw refused(`reading ${name}`, result.status, result.text);
  return JSON.parse(result.text) as DeployedFunction & { availableReplicas?: number };
}

export async function deploy(access: GatewayAccess, deployment: Deployment): Promise<void> {
  let result = await send(access, 'PUT', '/system/functions', deployment);
  if (result.status === 404) result = await send(access, 'POST', '/system/functions', deployment);
  if (result.status >= 300) throw refused(`the deploy of ${deployment.service}`, result.status, result.text);
}

export async function removeFunction(access: GatewayAccess, name: string): Promise<void> {
  const result = await send(access, 'DELETE', '/system/functions', { functionName: name });
  if (result.status >= 300 && result.status !== 404) throw refused(`removing ${name}`, result.status, result.text);
}

/** Waits until `name` runs `image` with a ready replica (a rollout is done). */
export async function waitForImage(access: GatewayAccess, name: string, image: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await getFunction(access, name);
    if (status?.image === image && (status.availableReplicas ?? 0) > 0) return;
    if (Date.now() > deadline)
      throw new CdnfaasError('TIMEOUT', `${name} did not become ready on ${image} in ${timeoutMs / 1000} s`, {
        hint: `see its logs: faas-cli logs ${name}`,
      });
    await sleep(250);
  }
}
