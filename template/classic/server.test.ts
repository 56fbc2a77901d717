import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLog } from '../node20-ts/log.ts';
import { readWatchdogConfig } from './config.ts';
import { createWatchdogServer, type WatchdogServer } from './server.ts';

/** A watchdog on a real socket forking real processes; `lines` collects its log messages. */
async function startWatchdog(env: Record<string, string>, cwd: string) {
  const lines: { level: string; msg: string; [key: string]: unknown }[] = [];
  const output: string[] = [];
  const log = createLog({ base: { service: 'test' }, write: (line) => lines.push(JSON.parse(line)) });
  const config = readWatchdogConfig({ PORT: '0', ...env });
  const server = createWatchdogServer({
    config,
    log,
    cwd,
    env: { PATH: process.env.PATH, ...env },
    writeOutput: (bytes) => output.push(bytes.toString()),
  });
  const port = await server.start();
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', ...init });
  return { server, port, lines, output, call };
}

describe('the classic watchdog server', () => {
  let dir: string;
  const servers: WatchdogServer[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdnfaas-classic-'));
    writeFileSync(join(dir, 'fail.sh'), 'echo partial; echo boom >&2; exit 3\n');
    writeFileSync(join(dir, 'slow.sh'), 'sleep 5; echo late\n');
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.drain()));
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (env: Record<string, string>) => {
    const watchdog = await startWatchdog(env, dir);
    servers.push(watchdog.server);
    return watchdog;
  };

  it('answers the body through cat, with the caller content type, X-Duration-Seconds and the classic log lines', async () => {
    const { call, lines } = await start({ fprocess: 'cat' });
    const res = await call('/', { body: 'hello', headers: { 'content-type': 'text/x-test' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
    expect(res.headers.get('content-type')).toBe('text/x-test');
    expect(Number(res.headers.get('x-duration-seconds'))).toBeGreaterThan(0);
    const messages = lines.map((line) => line.msg);
    expect(messages).toContain('Forking fprocess.');
    expect(messages.find((msg) => msg.startsWith('Wrote 5 Bytes - Duration: '))).toMatch(
      /^Wrote 5 Bytes - Duration: \d+\.\d{6}s$/,
    );
  });

  it('passes the request as Http_* variables and runs in the function folder', async () => {
    const { call } = await start({ fprocess: 'sh -c "env; pwd"' });
    const res = await call('/sub/path?a=1&b=two', {
      body: 'xyz',
      headers: { 'X-Call-Id': 'call-1', 'X-Test-Header': 'hi' },
    });
    const text = await res.text();
    expect(text).toContain('Http_Method=POST\n');
    expect(text).toContain('Http_Path=/sub/path\n');
    expect(text).toContain('Http_Query=a=1&b=two\n');
    expect(text).toContain('Http_X_Call_Id=call-1\n');
    expect(text).toContain('Http_X_Test_Header=hi\n');
    expect(text).toContain('Http_Content_Length=3\n');
    expect(text).toContain('Http_ContentLength=3\n');
    expect(text).toMatch(/Http_Host=127\.0\.0\.1:\d+\n/);
    expect(text).toContain('fprocess=sh -c "env; pwd"\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe(dir);
  });

  it('cgi_headers=false: no Http_* variables', async () => {
    const { call } = await start({ fprocess: 'env', cgi_headers: 'false' });
    expect(await (await call('/')).text()).not.toContain('Http_');
  });

  it('a non-zero exit is 500 with "exit status N", the output combined with stderr, and stderr logged', async () => {
    const { call, lines } = await start({ fprocess: 'sh fail.sh' });
    const res = await call('/', { body: 'x' });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('exit status 3\npartial\nboom\n');
    expect(lines.map((line) => line.msg)).toContain('stderr: boom');
  });

  it('combine_output=false: stderr only in the log, stdout in the 500 body', async () => {
    const { call, lines } = await start({ fprocess: 'sh fail.sh', combine_output: 'false' });
    const res = await call('/');
    expect(await res.text()).toBe('exit status 3\npartial\n');
    expect(lines.map((line) => line.msg)).toContain('stderr: boom');
  });

  it('exec_timeout kills the process group and answers 408 "Killed process."', async () => {
    const { call, lines } = await start({ fprocess: 'sh slow.sh', exec_timeout: '300ms' });
    const started = Date.now();
    const res = await call('/');
    expect(res.status).toBe(408);
    expect(await res.text()).toBe('Killed process.\n');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(lines.map((line) => line.msg)).toContain('Killing process: sh slow.sh');
  });

  it("a program that does not exist is 500 with Go's words and a hint in the log", async () => {
    const { call, lines } = await start({ fprocess: 'no-such-program-here' });
    const res = await call('/');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('exec: "no-such-program-here": executable file not found in $PATH\n');
    expect(lines.find((line) => line.level === 'error')?.hint).toContain('install no-such-program-here');
  });

  it('write_debug writes the output to stdout instead of the byte count', async () => {
    const { call, lines, output } = await start({
      fprocess: 'cat',
      write_debug: 'true',
      content_type: 'application/json',
    });
    const res = await call('/', { body: '{"a":1}' });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(output).toEqual(['{"a":1}\n']);
    expect(lines.some((line) => line.msg.startsWith('Duration: '))).toBe(true);
    expect(lines.some((line) => line.msg.startsWith('Wrote '))).toBe(false);
  });

  it('health: GET 200 "OK", other methods 405; HEAD on a function 405; max_inflight 429; drain waits for the call in flight', async () => {
    const { call, server } = await start({ fprocess: 'sh slow.sh', max_inflight: '1', exec_timeout: '2s' });
    const health = await call('/_/health', { method: 'GET' });
    expect([health.status, await health.text()]).toEqual([200, 'OK']);
    expect((await call('/_/health')).status).toBe(405);
    expect((await call('/', { method: 'HEAD' })).status).toBe(405);
    const first = call('/');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await call('/');
    expect(second.status).toBe(429);
    const drained = server.drain();
    expect((await first).status).toBe(408);
    await drained;
  });
});
