import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../system/config.ts';
import { formatReport, lintStack } from './lint.ts';
import { lintFile, projectContext } from './lint-file.ts';
import { readStackView } from './stack-view.ts';

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const config = loadConfig({ env: {} });
// The fixtures' handlers point at this project's functions, templates and topics.
const context = projectContext(join(projectRoot, 'stack.yml'), config);

/** Each fixture's first line says which rule must refuse it and what the message must say. */
const fixtures = readdirSync(fixtureDir)
  .filter((name) => name.endsWith('.yml'))
  .map((name) => {
    const text = readFileSync(join(fixtureDir, name), 'utf8');
    const match = /^# expect: ([a-z-]+): (.+)$/m.exec(text.split('\n')[0] ?? '');
    if (!match) throw new Error(`${name} lacks its "# expect: rule: message" line`);
    return { name, text, rule: match[1]!, fragment: match[2]! };
  });

describe('cdnfaas lint on the bad stacks in fixtures/', () => {
  it('has a fixture for each kind of refusal', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtures)('$name fails with [$rule] and explains why', ({ text, rule, fragment }) => {
    const report = lintStack(readStackView(text, {}), context);
    const errors = report.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.rule)).toContain(rule);
    const finding = errors.find((f) => f.rule === rule && f.message.includes(fragment));
    expect(finding, `messages were: ${errors.map((f) => f.message).join(' | ')}`).toBeDefined();
    expect(finding!.why.length).toBeGreaterThan(30);
    // Each bad stack has one defect: no other rule complains.
    expect(new Set(errors.map((f) => f.rule))).toEqual(new Set([rule]));
    expect(formatReport(report, 'stack.yml')).toContain('OpenFaaS CE would refuse or misread this stack');
  });
});

describe('cdnfaas lint on the project stack', () => {
  it('passes stack.yml with no errors', () => {
    const report = lintFile(join(projectRoot, 'stack.yml'), config, {});
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.errors).toBe(0);
  });
});
