import { Agent, request } from 'undici';
import { z } from 'zod';
import { batchContentType } from '../../contracts/batch.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import { basicAuthHeader, type CredentialSource } from './credentials.ts';
import { functionStatusSchema, type FunctionStatus } from '../../contracts/openfaas/function.ts';
import { classifyResponse, type InvokeOutcome } from './invoke-outcome.ts';
import { batchBody, type WireRecord } from './records.ts';

export interface GatewayClientOptions {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  credentials: CredentialSource;
  /** Keep-alive connections to the gateway; bounds concurrent invocations. */
  connections?: number;
}

/**
 * The OpenFaaS REST API as the connector and autoscaler use it: list functions, scale one,
 * invoke one with a batch. Only documented routes, so a real OpenFaaS gateway works the same.
 */
export interface GatewayClient {
  listFunctions(signal?: AbortSignal): Promise<FunctionStatus[]>;
  scaleFunction(name: string, replicas: number, signal?: AbortSignal): Promise<void>;
  invokeBatch(
    name: string,
    records: readonly WireRecord[],
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<InvokeOutcome>;
  close(): Promise<void>;
}

const functionListSchema = z.array(functionStatusSchema);

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const base = new URL(options.url);
  const dispatcher = new Agent({
    connections: options.connections ?? 256,
    keepAliveTimeout: 30_000,
    pipelining: 1,
  });

  const url = (path: string): URL =>
    new URL(path.replace(/^\//, ''), base.href.endsWith('/') ? base : `${base.href}/`);

  function systemHeaders(): Record<string, string> {
    const credentials = options.credentials();
    return credentials === undefined ? {} : { authorization: basicAuthHeader(credentials) };
  }

  function unreachable(what: string, error: unknown): CdnfaasError {
    return new CdnfaasError(
      'SERVICE_UNREACHABLE',
      `gateway at ${base.origin} did not answer ${what}: ${(error as Error).message}`,
      {
        hint: 'start it with `npx cdnfaas gateway` (or check --gateway / OPENFAAS_URL)',
        cause: error,
      },
    );
  }

  async function failOnStatus(what: string, status: number, body: string): Promise<never> {
    if (status === 401 || status === 403) {
      throw new CdnfaasError(
        'UNAUTHORIZED',
        `gateway refused ${what} (${status}): wrong or missing basic-auth credentials`,
        {
          hint: 'check the basic-auth-password file or OPENFAAS_USER / OPENFAAS_PASSWORD',
        },
      );
    }
    if (status === 404)
      throw new CdnfaasError('NOT_FOUND', `gateway answered 404 to ${what}: ${body.slice(0, 200)}`);
    throw new CdnfaasError('UPSTREAM_FAILED', `gateway answered ${status} to ${what}: ${body.slice(0, 200)}`);
  }

  return {
    async listFunctions(signal) {
      const what = 'GET /system/functions';
      let response;
      try {
        response = await request(url('/system/functions'), {
          dispatcher,
          headers: systemHeaders(),
          signal,
          headersTimeout: 10_000,
        });
      } catch (error) {
        throw unreachable(what, error);
      }
      const body = await response.body.text();
      if (response.statusCode !== 200) return failOnStatus(what, response.statusCode, body);
      const parsed = functionListSchema.safeParse(JSON.parse(body));
      if (!parsed.success) {
        throw new CdnfaasError(
          'UPSTREAM_FAILED',
          `gateway answered ${what} with an unexpected shape: ${parsed.error.issues[0]?.message}`,
        );
      }
      return parsed.data;
    },

    async scaleFunction(name, replicas, signal) {
      const what = `POST /system/scale-function/${name}`;
      let response;
      try {
        response = await request(url(`/system/scale-function/${encodeURIComponent(name)}`), {
          dispatcher,
          method: 'POST',
          headers: { ...systemHeaders(), 'content-type': 'application/json' },
          body: JSON.stringify({ serviceName: name, replicas }),
          signal,
          headersTimeout: 30_000,
        });
      } catch (error) {
        throw unreachable(what, error);
      }
      const body = await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300)
        await failOnStatus(what, response.statusCode, body);
    },

    async invokeBatch(name, records, timeoutMs, signal) {
      const deadline = AbortSignal.timeout(timeoutMs);
      const combined = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
      try {
        const response = await request(url(`/function/${encodeURIComponent(name)}`), {
          dispatcher,
          method: 'POST',
          headers: { 'content-type': batchContentType },
          body: batchBody(records),
          signal: combined,
        });
        const body = await response.body.text();
        return classifyResponse(response.statusCode, body, records.length);
      } catch (error) {
        if (signal?.aborted) throw error;
        if (deadline.aborted)
          return {
            kind: 'failed',
            reason: `function did not answer within ${timeoutMs} ms (cdnfaas.timeout-ms)`,
          };
        return { kind: 'failed', reason: `request to the gateway failed: ${(error as Error).message}` };
      }
    },

    async close() {
      await dispatcher.close();
    },
  };
}
