import { setTimeout as sleep } from 'node:timers/promises';
import { groupIdFor } from '../../../contracts/kafka-names.ts';
import type { Harness } from './harness.ts';

/** Polls `check` every 200 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until the connector at `connectorUrl` reports `status` for the consumer group of `name`. */
export async function waitForLagStatus(
  connectorUrl: string,
  name: string,
  status: 'OK' | 'STALL',
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    `the lag monitor to report ${status}`,
    async () => {
      const response = await fetch(`${connectorUrl}/lag/${groupIdFor(name)}`);
      return response.status === 200 && ((await response.json()) as { status: string }).status === status;
    },
    timeoutMs,
  );
}

/** Waits until the harness log holds a line with each of `fields` (e.g. its function and msg). */
export async function waitForLogLine(
  harness: Harness,
  what: string,
  fields: Record<string, unknown>,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    what,
    () =>
      harness.logLines().some((line) => Object.entries(fields).every(([key, value]) => line[key] === value)),
    timeoutMs,
  );
}
