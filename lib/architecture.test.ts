// The import rules of the whole project, checked from the source text: no import cycle between
// production modules, and no import from a lower layer to a higher one. It sits beside lib/ so
// it runs with the unit tests (no services); it reads every production .ts file.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const skippedDirs = new Set(['node_modules', 'test', '.cdnfaas', 'build', 'dist', 'out', 'vendor', '.git']);

/** Production .ts files, relative to the root: no tests, no test/ folder, nothing generated. */
function productionFiles(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return skippedDirs.has(entry.name) || entry.name.startsWith('.') ? [] : productionFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')
      ? [relative(root, path)]
      : [];
  });
}

const importPattern =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The project files a file imports (relative specifiers only; packages are not the project). */
export function importsOf(file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(importPattern)]
    .map((match) => match[1] ?? match[2]!)
    .filter((specifier) => specifier.endsWith('.ts'))
    .map((specifier) => relative(root, resolve(root, dirname(file), specifier)));
}

/** Every cycle of the graph once, each as the path that closes it (a -> b -> a). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's strongly connected components; one cycle is then traced inside each component.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    // Breadth-first from start back to start within the component: the shortest cycle through it.
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const node = queue.shift()!;
      for (const next of graph.get(node) ?? []) {
        if (!members.has(next)) continue;
        if (next === start) {
          const path = [start];
          for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at))
            path.splice(1, 0, at);
          return [...path, start];
        }
        if (!previous.has(next)) {
          previous.set(next, node);
          queue.push(next);
        }
      }
    }
    return [...component, component[0]!];
  });
}

interface Rule {
  /** Files the rule applies to: their first folder. */
  from: string;
  /** First folders those files may not import. */
  never: string[];
  why: string;
}

const everyFolder = [
  'bench',
  'chaos',
  'cli',
  'connectors',
  'contracts',
  'dashboard',
  'deploy',
  'functions',
  'ml',
  'runtime',
  'scaling',
  'scripts',
  'simulator',
  'system',
  'template',
  'tools',
];
const except = (...allowed: string[]) => everyFolder.filter((folder) => !allowed.includes(folder));

export const rules: Rule[] = [
  {
    from: 'lib',
    never: everyFolder,
    why: 'lib/ is the shared kernel: it imports nothing of the project above it',
  },
  { from: 'contracts', never: except(), why: 'contracts/ are the message schemas: they import only lib/' },
  {
    from: 'functions',
    never: [
      'connectors',
      'runtime',
      'scaling',
      'tools',
      'cli',
      'deploy',
      'chaos',
      'bench',
      'dashboard',
      'simulator',
    ],
    why: 'a function is built into its own image: it sees lib/, contracts/, ml/ and the template only',
  },
  {
    from: 'template',
    never: except('contracts'),
    why: 'the template wraps a handler and knows only lib/ and contracts/',
  },
  {
    from: 'connectors',
    never: ['cli', 'tools', 'bench', 'chaos', 'dashboard', 'deploy', 'simulator'],
    why: 'the connector is started by the CLI, never the reverse',
  },
  {
    from: 'runtime',
    never: ['cli', 'tools', 'bench', 'chaos', 'dashboard', 'deploy', 'simulator', 'connectors'],
    why: 'the runtime is started by the CLI, never the reverse',
  },
  {
    from: 'scaling',
    never: ['cli', 'tools', 'bench', 'chaos', 'dashboard', 'deploy', 'simulator', 'connectors'],
    why: 'scaling/ holds the decisions the connector and the gateway run; those processes import it, never the reverse',
  },
  {
    from: 'tools',
    never: ['cli', 'bench', 'chaos'],
    why: 'tools/ (lint) is started by the CLI, never the reverse',
  },
  { from: 'system', never: except('contracts'), why: 'system/ loads the configuration every layer reads' },
  ...['ml', 'simulator', 'dashboard', 'deploy', 'chaos'].map((from) => ({
    from,
    never: ['cli', 'bench'],
    why: `${from}/ is below the CLI and the benchmarks`,
  })),
];

/**
 * Findings that are known and owned elsewhere, each to be fixed at its source. The test fails on
 * any finding not listed here, and on a listed one that is gone (then delete it from the list),
 * so the list only shrinks. It is empty: keep it so.
 */
const knownFindings = new Set<string>([]);

/** Findings not in the known list, and known ones no longer found. */
function againstKnown(found: readonly string[]): { unexpected: string[]; fixed: string[] } {
  const all = new Set(found);
  return {
    unexpected: found.filter((finding) => !knownFindings.has(finding)),
    fixed: [...knownFindings].filter((finding) => !all.has(finding)),
  };
}

function folderOf(file: string): string {
  return file.split('/')[0]!;
}

/** Imports that break a rule, as "file -> imported (why)". */
export function forbiddenImports(
  graph: ReadonlyMap<string, readonly string[]>,
  ruleSet: readonly Rule[],
): string[] {
  const found: string[] = [];
  for (const [file, imports] of graph)
    for (const rule of ruleSet.filter((candidate) => candidate.from === folderOf(file)))
      for (const imported of imports)
        if (
          folderOf(imported) !== rule.from &&
          (rule.never.includes(folderOf(imported)) || imported.startsWith('test/'))
        )
          found.push(`${file} -> ${imported} (${rule.why})`);
  return found.sort();
}

function projectGraph(): Map<string, string[]> {
  return new Map(
    productionFiles().map((file) => [file, importsOf(file, readFileSync(join(root, file), 'utf8'))] as const),
  );
}

describe('the import rules', () => {
  const graph = projectGraph();

  it('reads the imports of every production file', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('cli/commands/replay.ts')).toContain('simulator/replay.ts');
  });

  it('finds cycles and forbidden imports in a graph that has them', () => {
    const sample = new Map([
      ['lib/a.ts', ['cli/b.ts']],
      ['cli/b.ts', ['lib/a.ts']],
      ['lib/c.ts', []],
    ]);
    expect(findCycles(sample)).toEqual([['cli/b.ts', 'lib/a.ts', 'cli/b.ts']]);
    expect(forbiddenImports(sample, rules)).toEqual([expect.stringContaining('lib/a.ts -> cli/b.ts')]);
  });

  const cycles = findCycles(graph).map((cycle) => cycle.join(' -> '));
  const forbidden = forbiddenImports(graph, rules);
  const { unexpected, fixed } = againstKnown([...cycles, ...forbidden]);

  it('has no import cycle between production modules', () => {
    expect(unexpected.filter((finding) => cycles.includes(finding))).toEqual([]);
  });

  it('has no import from a lower layer to a higher one', () => {
    expect(unexpected.filter((finding) => forbidden.includes(finding))).toEqual([]);
  });

  it('lists as known only what is still there', () => {
    expect(fixed).toEqual([]);
  });
});
