import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';
import type { SystemConfig } from '../../system/config.ts';
import { lintStack, type LintReport } from './lint.ts';
import { readStackView } from './stack-view.ts';
import type { LintContext } from './types.ts';

/** The I/O edge of the linter: reads the stack file and the project facts the rules need. */

export function templatesIn(dir: string): string[] {
  const templateDir = join(dir, 'template');
  if (!existsSync(templateDir)) return [];
  return readdirSync(templateDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function projectContext(stackFile: string, config: Pick<SystemConfig, 'topics'>): LintContext {
  const dir = dirname(resolve(stackFile));
  return {
    templates: templatesIn(dir),
    templateHasManifest: (lang) => existsSync(join(dir, 'template', lang, 'template.yml')),
    handlerExists: (path) => {
      const full = resolve(dir, path);
      return existsSync(full) && statSync(full).isDirectory();
    },
    topics: Object.fromEntries(config.topics.map((topic) => [topic.name, topic.partitions])),
  };
}

export function lintFile(
  stackFile: string,
  config: Pick<SystemConfig, 'topics'>,
  env: Record<string, string | undefined> = process.env,
): LintReport {
  const file = resolve(stackFile);
  if (!existsSync(file)) {
    throw new CdnfaasError('CONFIG_NOT_FOUND', `stack file ${file} does not exist`, {
      hint: 'pass the right file with -f, e.g. -f stack.yml',
    });
  }
  let view;
  try {
    view = readStackView(readFileSync(file, 'utf8'), env);
  } catch (error) {
    throw new CdnfaasError('INVALID_INPUT', `${file} is not valid YAML: ${(error as Error).message}`, {
      hint: 'fix the YAML syntax at the line named above',
      cause: error,
    });
  }
  return lintStack(view, projectContext(file, config));
}
