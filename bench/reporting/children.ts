// The other benchmarks run as they are (`tsx bench/<name>.ts`, each in its own process with its own
// settings), their output shown as progress, their bench/out/<name>.json read back afterwards.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { projectRoot } from '../../system/config.ts';
import type { Json } from './measured.ts';

export interface ChildBenchmark {
  name: string;
  script: string;
  env: Record<string, string>;
  timeoutMs: number;
}

/** Runs one benchmark script; resolves with its JSON output, rejects with why there is none. */
export async function runChildBenchmark(bench: ChildBenchmark, say: (line: string) => void): Promise<Json> {
  const script = join(projectRoot, bench.script);
  if (!existsSync(script)) throw new Error(`${bench.script} does not exist (not landed)`);
  const output = join(projectRoot, 'bench', 'out', `${bench.name}.json`);
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), script],
    {
      cwd: projectRoot,
      env: { ...process.env, ...bench.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let last = '';
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      // Progress bars redraw with carriage returns: show the latest state of each line only.
      const text = line.split('\r').pop()!.trim();
      if (text !== '' && text !== last) say(`    ${bench.name}: ${text}`);
      last = text;
    });
  }
  const timer = setTimeout(() => child.kill('SIGTERM'), bench.timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (code !== 0)
    throw new Error(
      `${bench.script} exited with ${code ?? 'a signal'}${Date.now() - started >= bench.timeoutMs ? ` after its ${bench.timeoutMs / 1000} s budget` : ''}`,
    );
  if (!existsSync(output) || statSync(output).mtimeMs < started)
    throw new Error(`${bench.script} did not write bench/out/${bench.name}.json`);
  return JSON.parse(readFileSync(output, 'utf8')) as Json;
}
