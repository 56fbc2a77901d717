// How a benchmark script reads its settings: each one from BENCH_<NAME> in the environment when
// set (warmupSeconds from BENCH_WARMUP_SECONDS), else the default the script gives.

/** The environment variable of a setting: BENCH_ and its name in upper snake case. */
export function benchVariable(name: string): string {
  return `BENCH_${name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

export function benchSettings<T extends Record<string, number>>(
  defaults: T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  return Object.fromEntries(
    Object.entries(defaults).map(([name, fallback]) => [name, Number(env[benchVariable(name)] ?? fallback)]),
  ) as T;
}
