import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { cluster } from '../../deploy/kubernetes/generator/cluster.ts';
import { projectRoot } from '../../system/config.ts';
import { contextCopies, finalUser, isRootUser, parseDockerfile, splitFlags, stagesOf } from './dockerfile.ts';

describe('parseDockerfile', () => {
  const text = [
    '# comment',
    'ARG V=20',
    'FROM --platform=x node:${V} AS build',
    'RUN a \\',
    '    # a comment inside a continuation',
    '    && b',
    'COPY --chown=1:1 package.json lock.json ./',
    'FROM node:20 AS ship',
    'COPY --from=build /x /y',
    'USER 1000:1000',
  ].join('\n');

  it('joins continuation lines, drops comments and keeps line numbers', () => {
    const instructions = parseDockerfile(text);
    expect(instructions.map((i) => i.keyword)).toEqual([
      'ARG',
      'FROM',
      'RUN',
      'COPY',
      'FROM',
      'COPY',
      'USER',
    ]);
    expect(instructions[2]).toMatchObject({ args: 'a && b', line: 4 });
  });

  it('splits stages and finds what COPY takes from the context', () => {
    const instructions = parseDockerfile(text);
    expect(stagesOf(instructions).map((s) => [s.name, s.image])).toEqual([
      ['build', 'node:${V}'],
      ['ship', 'node:20'],
    ]);
    expect(contextCopies(instructions)).toEqual([{ sources: ['package.json', 'lock.json'], line: 7 }]);
    expect(splitFlags('--from=build /x /y')).toEqual({ flags: { from: 'build' }, words: ['/x', '/y'] });
  });

  it('tells root from non-root users', () => {
    expect(isRootUser(finalUser(stagesOf(parseDockerfile(text))))).toBe(false);
    expect(isRootUser(undefined)).toBe(true);
    expect(isRootUser('0:0')).toBe(true);
    expect(isRootUser('root')).toBe(true);
    expect(isRootUser('app')).toBe(false);
  });
});

describe('connectors/kafka/Dockerfile', () => {
  const dockerfile = join(projectRoot, 'connectors', 'kafka', 'Dockerfile');
  const instructions = parseDockerfile(readFileSync(dockerfile, 'utf8'));
  const stages = stagesOf(instructions);
  const ship = stages.at(-1)!.instructions;

  it('builds in one stage and ships from another, as a non-root user with a health check', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'ship']);
    expect(isRootUser(finalUser(stages))).toBe(false);
    expect(ship.some((i) => i.keyword === 'HEALTHCHECK' && i.args.includes('/healthz'))).toBe(true);
  });

  it('copies only what the repository root holds and .dockerignore lets through', () => {
    const ignored = readFileSync(join(projectRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const { sources } of contextCopies(instructions)) {
      for (const source of sources) {
        expect(existsSync(join(projectRoot, source)), source).toBe(true);
        expect(ignored, source).not.toContain(source);
      }
    }
  });

  it('listens where the Kubernetes manifests probe it', () => {
    const env = ship
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toContain(`CONNECTOR_PORT="${cluster.connector.port}"`);
    expect(ship.find((i) => i.keyword === 'EXPOSE')?.args).toBe(String(cluster.connector.port));
  });

  it('bundles the connector entry into a file that runs without node_modules', async () => {
    const run = stages[0]!.instructions.find((i) => i.keyword === 'RUN' && i.args.includes('esbuild'))!;
    const entry = /node_modules\/\.bin\/esbuild (\S+)/.exec(run.args)![1]!;
    const out = join(mkdtempSync(join(tmpdir(), 'cdnfaas-connector-image-')), 'bin', 'connector.mjs');
    expect(ship.find((i) => i.keyword === 'ENTRYPOINT')?.args).toContain('/app/bin/connector.mjs');
    await build({
      entryPoints: [join(projectRoot, entry)],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      outfile: out,
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __cdnfaasCreateRequire } from 'node:module'; const require = __cdnfaasCreateRequire(import.meta.url);",
      },
    });
    const help = execFileSync(process.execPath, [out, 'connector', '--help'], { encoding: 'utf8' });
    expect(help).toContain('--no-autoscale');
    expect(help).toContain('--host');
  });
});
