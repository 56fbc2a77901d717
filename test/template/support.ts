import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildStack } from '../../runtime/build/index.ts';
import { LocalImageStore } from '../../runtime/images/store.ts';
import { replicaEnv, replicaHealthPath, type ResolvedImage } from '../../runtime/images/types.ts';
import { projectRoot } from '../../system/config.ts';

export const echoStack = join(projectRoot, 'test/fixtures/stack.echo.yml');

/** A store in a temporary cdnfaas home outside the project, so images cannot lean on its node_modules. */
export function temporaryHome(): { home: string; store: LocalImageStore; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), 'cdnfaas-template-'));
  return {
    home,
    store: new LocalImageStore(join(home, 'images')),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

export async function buildFixture(
  home: string,
  name: string,
  store: LocalImageStore,
): Promise<ResolvedImage> {
  const [built] = await buildStack({ stackFile: echoStack, filter: name, config: { home }, store });
  return store.resolve(built!.ref)!;
}

export interface Replica {
  child: ChildProcess;
  port: number;
  url: string;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Milliseconds from spawn to the first 200 on health (when waited for). */
  coldStartMs?: number;
}

/**
 * Starts an image as the process provider does (runtime/images/types.ts): `node <entrypoint>` in the
 * image directory with PORT and the replica variables. PORT=0 lets the OS pick a free port, which
 * the server reports in its `listening` log line.
 */
export async function startReplica(
  image: ResolvedImage,
  env: Record<string, string> = {},
  options: { waitHealthy?: boolean } = {},
): Promise<Replica> {
  const started = performance.now();
  const child = spawn(process.execPath, [image.manifest.entrypoint], {
    cwd: image.dir,
    env: {
      PATH: process.env.PATH ?? '',
      [replicaEnv.port]: '0',
      [replicaEnv.functionName]: image.manifest.function,
      [replicaEnv.replicaId]: `${image.manifest.function}-test`,
      [replicaEnv.imageRef]: image.ref,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let onPort: (port: number) => void;
  const portKnown = new Promise<number>((resolve) => (onPort = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'listening') onPort(entry.port as number);
    } catch {
      logs.push({ raw: line });
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const port = await Promise.race([
    portKnown,
    exited.then((code) => Promise.reject(new Error(`replica exited with ${code} before listening`))),
  ]);
  const replica: Replica = { child, port, url: `http://127.0.0.1:${port}`, logs, exited };
  if (options.waitHealthy !== false) {
    await waitHealthy(replica);
    replica.coldStartMs = performance.now() - started;
  }
  return replica;
}

export async function waitHealthy(replica: Replica, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${replica.url}${replicaHealthPath}`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(2);
  }
  throw new Error(`replica on ${replica.port} not healthy after ${timeoutMs} ms`);
}

export async function stopReplica(replica: Replica): Promise<number | null> {
  if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill('SIGTERM');
  return replica.exited;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Registers the hooks of a test file whose tests share one replica of the echo fixture: built in
 * a temporary home and started with `env` before them, stopped (exiting 0) after them.
 */
export function echoReplicaForFile(env?: Record<string, string>): { readonly replica: Replica } {
  let replica: Replica | undefined;
  let cleanup: (() => void) | undefined;
  beforeAll(async () => {
    const home = temporaryHome();
    cleanup = home.cleanup;
    const image = await buildFixture(home.home, 'echo', home.store);
    replica = await startReplica(image, env);
  });
  afterAll(async () => {
    if (replica) expect(await stopReplica(replica)).toBe(0);
    cleanup?.();
  });
  return {
    get replica() {
      if (replica === undefined)
        throw new Error('the echo replica is not started (asked for outside a test?)');
      return replica;
    },
  };
}
