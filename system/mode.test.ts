import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { forgetMode, modeFile, rememberMode } from './mode.ts';

describe('the remembered mode', () => {
  const home = mkdtempSync(join(tmpdir(), 'cdnfaas-mode-'));
  const env = { CDNFAAS_HOME: home };

  it('applies to later commands of the same home until forgotten', () => {
    rememberMode(home, { kafkaNodes: 3, secure: true });
    const config = loadConfig({ env });
    expect(config.kafka.nodes).toBe(3);
    expect(config.secure).toBe(true);
    expect(config.kafka.brokers).toHaveLength(3);
    forgetMode(home);
    expect(loadConfig({ env }).kafka.nodes).toBe(1);
    expect(loadConfig({ env }).secure).toBe(false);
  });

  it('gives way to the variables', () => {
    rememberMode(home, { kafkaNodes: 3, secure: true });
    const config = loadConfig({ env: { ...env, KAFKA_NODES: '1', CDNFAAS_SECURE: 'false' } });
    expect(config.kafka.nodes).toBe(1);
    expect(config.secure).toBe(false);
    forgetMode(home);
  });

  it('is ignored when its file is torn', () => {
    writeFileSync(modeFile(home), '{"kafkaNo');
    expect(loadConfig({ env }).kafka.nodes).toBe(1);
    forgetMode(home);
  });
});
