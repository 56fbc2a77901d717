/** Replays a golden faas-cli request over a real socket, with exactly its method, path, headers and body. */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../system/config.ts';

export interface GoldenRequest {
  source: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  expect?: number;
  expectFirstDeploy?: number;
  expectExisting?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text(): string;
  json<T = unknown>(): T;
}

export function loadGoldenRequests(): Record<string, GoldenRequest> {
  const file = join(projectRoot, 'test', 'gateway', 'fixtures', 'faas-cli-requests.json');
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, GoldenRequest | string>;
  return Object.fromEntries(
    Object.entries(all).filter((entry): entry is [string, GoldenRequest] => typeof entry[1] !== 'string'),
  );
}

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`golden request needs {{${name}}}`);
    return value;
  });
}

export function sendGolden(
  baseUrl: string,
  golden: GoldenRequest,
  vars: Record<string, string> = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = golden.body === undefined ? undefined : Buffer.from(fill(golden.body, vars));
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(golden.headers)) headers[key] = fill(value, vars);
  if (body !== undefined) headers['Content-Length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: golden.method,
        path: fill(golden.path, vars),
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const buffer = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: buffer,
            text: () => buffer.toString('utf8'),
            json: <T>() => JSON.parse(buffer.toString('utf8')) as T,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
