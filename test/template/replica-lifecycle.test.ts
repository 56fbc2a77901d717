import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedImage } from '../../runtime/images/types.ts';
import { buildFixture, median, startReplica, stopReplica, temporaryHome, waitHealthy } from './support.ts';

// Start, health, shutdown and start failures of replicas; cold start figures.
let echo: ResolvedImage;
let onnx: ResolvedImage;
let cleanup: () => void;

beforeAll(async () => {
  const home = temporaryHome();
  cleanup = home.cleanup;
  echo = await buildFixture(home.home, 'echo', home.store);
  onnx = await buildFixture(home.home, 'onnx-add', home.store);
});
afterAll(() => cleanup?.());

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('health', () => {
  it('answers 503 while the handler module loads and 200 once it has', async () => {
    const spawned = performance.now();
    const replica = await startReplica(echo, { ECHO_LOAD_DELAY_MS: '1000' }, { waitHealthy: false });
    const early = await fetch(`${replica.url}/_/health`);
    expect([early.status, await early.text()]).toEqual([503, 'loading']);
    const call = await fetch(`${replica.url}/`, { method: 'POST', body: 'x' });
    expect(call.status).toBe(503);
    expect(await call.json()).toMatchObject({ code: 'SERVICE_UNHEALTHY' });
    await waitHealthy(replica);
    expect(performance.now() - spawned).toBeGreaterThanOrEqual(1000);
    expect(replica.logs.find((entry) => entry.msg === 'handler loaded')!.loadMs).toBeGreaterThanOrEqual(990);
    expect(await stopReplica(replica)).toBe(0);
  });
});

describe('SIGTERM', () => {
  it('stops accepting connections, lets calls in flight answer, and exits 0', async () => {
    const replica = await startReplica(echo);
    const inFlight = fetch(`${replica.url}/sleep?ms=800`, { method: 'POST', body: 'finished' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    replica.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await connectionRefused(replica.port)).toBe(true);
    const response = await inFlight;
    expect([response.status, await response.text()]).toEqual([200, 'finished']);
    expect(await replica.exited).toBe(0);
    const messages = replica.logs.map((entry) => entry.msg);
    expect(messages).toContain('draining');
    expect(messages.at(-1)).toBe('stopped');
    expect(replica.logs.find((entry) => entry.msg === 'draining')!.inflight).toBe(1);
  });

  it('exits 0 at once when idle', async () => {
    const replica = await startReplica(echo);
    const started = performance.now();
    expect(await stopReplica(replica)).toBe(0);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('start failures', () => {
  it('exits 1 with a fatal log line when the handler module cannot be loaded', async () => {
    const replica = await startReplica(
      echo,
      { CDNFAAS_HANDLER: '/nonexistent/handler.mjs' },
      { waitHealthy: false },
    );
    expect(await replica.exited).toBe(1);
    expect(replica.logs.find((entry) => entry.level === 'fatal')).toMatchObject({
      msg: 'the function failed to start',
      err: { message: expect.stringContaining('/nonexistent/handler.mjs') },
    });
  });

  it('exits 2 naming the variable when a setting is malformed', async () => {
    await expect(startReplica(echo, { exec_timeout: 'soon' })).rejects.toThrow(/exited with 2/);
  });
});

describe('native packages', () => {
  it('runs an image with onnxruntime-node from its own node_modules, outside the project', async () => {
    expect(onnx.dir.startsWith('/work')).toBe(false);
    expect(onnx.manifest.files).toContain('node_modules/onnxruntime-node/package.json');
    expect(onnx.manifest.files.some((file) => file.includes('/darwin/') || file.includes('/win32/'))).toBe(
      false,
    );
    expect(onnx.manifest.files).toContain('function/model/add-one.onnx');
    const replica = await startReplica(onnx);
    const response = await fetch(`${replica.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1, 2.5]',
    });
    expect(await response.json()).toEqual([2, 3.5]);
    expect(await stopReplica(replica)).toBe(0);
  });
});

describe('cold start', () => {
  it.each([
    ['echo', () => echo],
    ['onnx-add (loads an ONNX model)', () => onnx],
  ])('prints spawn -> first 200 on health for %s', async (name, image) => {
    const samples: number[] = [];
    for (let run = 0; run < 5; run += 1) {
      const replica = await startReplica(image());
      samples.push(replica.coldStartMs!);
      const response = await fetch(`${replica.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '[1]',
      });
      expect(response.status).toBe(200);
      expect(await stopReplica(replica)).toBe(0);
    }
    // The same machine's bare `node -e 0` (spawn to exit), so the figure can be read under load.
    const bare = [0, 1, 2, 3, 4].map(() => {
      const started = performance.now();
      execFileSync(process.execPath, ['-e', '0']);
      return performance.now() - started;
    });
    const figures = `median ${median(samples).toFixed(0)} ms, min ${Math.min(...samples).toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms`;
    console.log(
      `cold start ${name}: spawn -> health 200: ${figures} (5 runs); bare node -e 0: median ${median(bare).toFixed(0)} ms`,
    );
  });
});
