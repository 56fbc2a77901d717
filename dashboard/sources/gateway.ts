import type { Registry } from 'prom-client';
import {
  parsePrometheusText,
  samplesFromRegistryJson,
  type RegistryMetricJson,
  type Sample,
} from '../reducers/samples.ts';
import type { FunctionReplicas } from './types.ts';
import { basicAuthHeader } from '../../lib/basic-auth.ts';

export interface GatewayAccess {
  url: string;
  user: string;
  password: string;
  timeoutMs: number;
}

/** A deployed function as the dashboard and `status` show it, with the topic it is triggered by. */
export interface FunctionSummary extends FunctionReplicas {
  topic: string | undefined;
}

interface FunctionStatusWire {
  name?: unknown;
  image?: unknown;
  replicas?: unknown;
  availableReplicas?: unknown;
  annotations?: Record<string, unknown> | null;
}

/** The fields the dashboard reads from an OpenFaaS FunctionStatus (GET /system/functions). */
export function summariseFunctions(body: unknown): FunctionSummary[] {
  if (!Array.isArray(body)) throw new Error('GET /system/functions did not answer with a list');
  return (body as FunctionStatusWire[])
    .filter((status) => typeof status.name === 'string')
    .map((status) => ({
      name: status.name as string,
      image: typeof status.image === 'string' ? status.image : '',
      replicas: Number(status.replicas ?? 0),
      availableReplicas: Number(status.availableReplicas ?? 0),
      topic: typeof status.annotations?.topic === 'string' ? status.annotations.topic : undefined,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function get(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) {
    const hint = response.status === 401 ? ' (wrong gateway credentials)' : '';
    throw new Error(`GET ${new URL(url).pathname} answered ${response.status}${hint}`);
  }
  return response;
}

/** Functions with replicas from an OpenFaaS-compatible gateway, with its basic-auth credentials. */
export function gatewayFunctions(access: GatewayAccess): () => Promise<FunctionSummary[]> {
  const authorization = basicAuthHeader(access);
  return async () => {
    const response = await get(new URL('/system/functions', access.url).href, access.timeoutMs, {
      authorization,
    });
    return summariseFunctions(await response.json());
  };
}

/** Prometheus samples scraped from a /metrics URL. */
export function metricsFromUrl(url: string, timeoutMs: number): () => Promise<Sample[]> {
  return async () => parsePrometheusText(await (await get(url, timeoutMs)).text());
}

/** Prometheus samples read straight from a prom-client registry in this process. */
export function metricsFromRegistries(registries: Registry[]): () => Promise<Sample[]> {
  return async () => {
    const all = await Promise.all(registries.map((registry) => registry.getMetricsAsJSON()));
    return all.flatMap((metrics) => samplesFromRegistryJson(metrics as unknown as RegistryMetricJson[]));
  };
}
