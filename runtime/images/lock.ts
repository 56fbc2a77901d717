import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CdnfaasError } from '../../lib/errors.ts';

/**
 * A cross-process lock on the store's tag index: `cdnfaas build`, the docker shim and the gateway
 * may change it at the same time. The lock is a directory (mkdir is atomic) holding the owner's
 * pid; a lock whose owner is gone is taken over.
 */
export async function withStoreLock<T>(root: string, work: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const lockDir = join(root, '.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (ownerIsGone(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new CdnfaasError(
          'SERVICE_UNHEALTHY',
          `the image store ${root} stayed locked for ${timeoutMs} ms`,
          {
            hint: `another cdnfaas build is running; if none is, remove ${lockDir}`,
          },
        );
      }
      await sleep(25);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function ownerIsGone(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    return false; // being created right now; the owner writes its pid next
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
