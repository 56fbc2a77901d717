import { setTimeout as sleep } from 'node:timers/promises';
import { CdnfaasError } from '../../lib/errors.ts';
import type { DetachedProcess } from './processes.ts';
import { readLogTail } from './run-command.ts';

export interface HealthResult {
  healthy: boolean;
  /** Why not, in a few words ("connection refused"), or a detail when healthy. */
  detail: string;
}

/** How long a started service gets to answer its health check. */
export const healthDeadlineMs = 60_000;

export interface WaitOptions {
  service: string;
  check: () => Promise<HealthResult>;
  logFile: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** The process being started, when this command started it: an early exit fails at once. */
  process?: DetachedProcess;
}

/** Polls the health check until it passes; fails with the service, the reason and its log file. */
export async function waitUntilHealthy(options: WaitOptions): Promise<number> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? healthDeadlineMs;
  let last: HealthResult = { healthy: false, detail: 'not checked yet' };
  for (;;) {
    last = await options.check();
    if (last.healthy) return Date.now() - started;
    const exit = options.process?.exit();
    if (exit) {
      const how = exit.code === null ? `signal ${exit.signal}` : `code ${exit.code}`;
      throw unhealthy(options, `exited with ${how} while starting`);
    }
    if (Date.now() - started >= timeoutMs) {
      throw unhealthy(
        options,
        `was not healthy within ${Math.round(timeoutMs / 1000)} s of its start (last check: ${last.detail})`,
      );
    }
    await sleep(options.intervalMs ?? 500);
  }
}

function unhealthy(options: WaitOptions, why: string): CdnfaasError {
  const tail = readLogTail(options.logFile, 12);
  return new CdnfaasError(
    'SERVICE_UNHEALTHY',
    `${options.service} ${why}.\nLog file: ${options.logFile}${tail.length ? `\nLast lines:\n  ${tail.join('\n  ')}` : ''}`,
    {
      hint: `read ${options.logFile}, fix the cause, then run \`npx cdnfaas services down\` and \`npx cdnfaas services up\``,
      context: { service: options.service, logFile: options.logFile },
    },
  );
}
