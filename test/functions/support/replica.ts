import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../../system/config.ts';
import { closedPort } from './network.ts';

export interface Replica {
  url: string;
  /** Everything the replica printed (JSON log lines). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs a function from source the way the local runtime runs an image: the node20-ts template
 * server with the handler module, as its own process, ready once its health check answers 200.
 */
export async function startReplica(
  handler: string,
  env: Record<string, string>,
  readyTimeoutMs = 30_000,
): Promise<Replica> {
  const port = await closedPort();
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'template/node20-ts/index.ts')],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        ...env,
        PORT: String(port),
        CDNFAAS_HANDLER: join(projectRoot, handler),
        CDNFAAS_FUNCTION: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`replica of ${handler} exited with ${child.exitCode}:\n${output}`);
    const healthy = await fetch(`${url}/_/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return { url, output: () => output, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`replica of ${handler} not healthy within ${readyTimeoutMs} ms:\n${output}`);
}
