import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drift, generateFiles, grafanaDir, repositoryConfig } from './generate.ts';
import { typecheckDashboards } from './typecheck.ts';

const dashboardsDir = join(grafanaDir, 'dashboards');
const committed = readdirSync(dashboardsDir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, json: readFileSync(join(dashboardsDir, name), 'utf8') }));

describe('generated Grafana files', () => {
  it('are committed as the generator makes them (run `npm run grafana` after changing it)', async () => {
    expect(drift(await generateFiles(repositoryConfig()))).toEqual([]);
    expect(committed.map((file) => file.name).sort()).toEqual([
      'cdn-client-data.json',
      'functions.json',
      'kafka-lag.json',
      'predictions.json',
    ]);
  });

  it(
    'type-check against the foundation SDK: Dashboard, each panel plugin, each query type',
    { timeout: 60_000 },
    () => {
      expect(typecheckDashboards(committed)).toEqual([]);
    },
  );

  it(
    'fail the type check on a misspelled option, a wrong enum value or a query without its text',
    { timeout: 60_000 },
    () => {
      const edits: Record<string, (json: string) => string> = {
        'functions.json': (json) => json.replace('"displayMode": "list"', '"displayMode": "lists"'),
        'kafka-lag.json': (json) => json.replace('"legendFormat"', '"legendFromat"'),
        'predictions.json': (json) => json.replace('"query":', '"qeury":'),
      };
      const broken = committed.map((file) => ({
        name: file.name,
        json: edits[file.name]?.(file.json) ?? file.json,
      }));
      const messages = typecheckDashboards(broken).join('\n');
      expect(messages).toMatch(/"lists"/);
      expect(messages).toMatch(/legendFromat/);
      expect(messages).toMatch(/qeury/);
    },
  );
});
