/**
 * The names a dashboard query reads, so a test can hold them against what the system writes.
 * Small, purpose-built readers of the query texts the generator emits, not full parsers.
 */

export interface FluxNames {
  measurements: string[];
  fields: string[];
  /** Tags read as r["tag"] (the key column of per-tag counts). */
  tags: string[];
}

const unique = (values: string[]) => [...new Set(values)].sort();

export function fluxNames(flux: string): FluxNames {
  const all = (pattern: RegExp) =>
    unique([...flux.matchAll(pattern)].map((match) => JSON.parse(match[1]!) as string));
  return {
    measurements: all(/r\._measurement\s*==\s*("(?:[^"\\]|\\.)*")/g),
    fields: all(/r\._field\s*==\s*("(?:[^"\\]|\\.)*")/g),
    tags: all(/r\[("(?:[^"\\]|\\.)*")\]/g),
  };
}

export interface PromNames {
  metrics: string[];
  /** Labels in matchers and in by/without clauses, except le of histogram buckets. */
  labels: string[];
}

const promFunctions = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'histogram_quantile',
  'abs',
  'ceil',
  'floor',
  'round',
  'clamp_min',
  'clamp_max',
  'sort',
  'sort_desc',
  'time',
  'vector',
  'scalar',
  'absent',
  'changes',
  'resets',
  'avg_over_time',
  'max_over_time',
  'min_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'label_replace',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
]);

export function promNames(expr: string): PromNames {
  const labels: string[] = [];
  // Label matchers: {name="value", other=~"re"}.
  const withoutMatchers = expr.replace(/\{([^}]*)\}/g, (_, body: string) => {
    for (const match of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) labels.push(match[1]!);
    return ' ';
  });
  // Grouping: by (a, b) / without (a).
  const withoutGrouping = withoutMatchers.replace(
    /\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g,
    (_, body: string) => {
      for (const name of body
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean))
        labels.push(name);
      return ' ';
    },
  );
  const bare = withoutGrouping
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$__[a-z_]+/g, ' ');
  const metrics = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((match) => match[0])
    .filter((name) => !promFunctions.has(name));
  return { metrics: unique(metrics), labels: unique(labels.filter((label) => label !== 'le')) };
}
