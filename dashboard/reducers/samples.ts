/** One value of a Prometheus metric: the sample's full name (with _bucket/_sum/_count), labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The shape prom-client's `registry.getMetricsAsJSON()` returns, reduced to what we read. */
export interface RegistryMetricJson {
  name: string;
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
}

/** Flattens prom-client's JSON form into samples (histogram buckets keep their `le` label). */
export function samplesFromRegistryJson(metrics: RegistryMetricJson[]): Sample[] {
  return metrics.flatMap((metric) =>
    metric.values.map((entry) => ({
      name: entry.metricName ?? metric.name,
      labels: Object.fromEntries(Object.entries(entry.labels).map(([key, value]) => [key, String(value)])),
      value: entry.value,
    })),
  );
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  labelPair.lastIndex = 0;
  let consumed = 0;
  for (let match = labelPair.exec(text); match; match = labelPair.exec(text)) {
    labels[match[1]!] = unescapeLabel(match[2]!);
    consumed = labelPair.lastIndex;
  }
  return consumed === text.trim().length || text.trim() === '' ? labels : undefined;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/**
 * Parses the Prometheus text exposition format (what /metrics answers). Comments and lines
 * that do not parse are skipped: a dashboard shows what it can read.
 */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = sampleLine.exec(line);
    if (!match) continue;
    const labels = parseLabels(match[3] ?? '');
    const value = parseValue(match[4]!);
    if (labels === undefined || Number.isNaN(value)) continue;
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}
