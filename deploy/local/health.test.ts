import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitUntilHealthy, type HealthResult } from './health.ts';

const logFile = join(mkdtempSync(join(tmpdir(), 'cdnfaas-health-')), 'svc.log');
writeFileSync(logFile, 'starting\nERROR cannot bind\n');

function checks(...results: HealthResult[]): () => Promise<HealthResult> {
  return async () => results.shift() ?? { healthy: false, detail: 'connection refused' };
}

describe('waitUntilHealthy', () => {
  it('returns once the check passes', async () => {
    const check = checks({ healthy: false, detail: 'refused' }, { healthy: true, detail: 'ok' });
    await expect(
      waitUntilHealthy({ service: 'svc', check, logFile, intervalMs: 1 }),
    ).resolves.toBeGreaterThanOrEqual(0);
  });

  it('fails after the deadline with the service, the last reason and the log file', async () => {
    const error = await waitUntilHealthy({
      service: 'svc',
      check: checks(),
      logFile,
      timeoutMs: 20,
      intervalMs: 5,
    }).catch((e) => e);
    expect(error.code).toBe('SERVICE_UNHEALTHY');
    expect(error.message).toContain(
      'svc was not healthy within 0 s of its start (last check: connection refused)',
    );
    expect(error.message).toContain(`Log file: ${logFile}`);
    expect(error.message).toContain('ERROR cannot bind');
  });

  it('fails at once when the process exits while starting', async () => {
    const process = { pid: 1, exit: () => ({ code: 1, signal: null }) };
    const started = Date.now();
    const error = await waitUntilHealthy({
      service: 'svc',
      check: checks(),
      logFile,
      timeoutMs: 60_000,
      process,
    }).catch((e) => e);
    expect(error.message).toMatch(/^svc exited with code 1 while starting/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
