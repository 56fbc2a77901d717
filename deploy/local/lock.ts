// A lock file per cdnfaas home and per cached download, so two commands (say `npm test` while
// `npm run up` is starting) never start the same service twice or write one cache folder at once.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CdnfaasError } from '../../lib/errors.ts';
import { isAlive } from './processes.ts';

export interface LockOptions {
  /** Called once when another live process holds the lock, with its pid. */
  onWait?: (holderPid: number) => void;
  timeoutMs: number;
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function withFileLock<T>(
  file: string,
  options: LockOptions,
  work: () => Promise<T>,
): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(file);
    // A lock left by a process that no longer runs (killed, crashed) is taken over. A holder
    // with this process's pid is another call in this process: it is alive, so wait for it.
    if (holder === undefined || (holder !== process.pid && !isAlive(holder))) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new CdnfaasError('TIMEOUT', `another cdnfaas command (pid ${holder}) still holds ${file}`, {
        hint: `wait for it to finish, or stop it; delete ${file} only if pid ${holder} is not a cdnfaas command`,
      });
    }
    if (!told) options.onWait?.(holder);
    told = true;
    await sleep(250);
  }
  try {
    return await work();
  } finally {
    if (holderOf(file) === process.pid) rmSync(file, { force: true });
  }
}
