// One `npm run bench` as its parts see it: how large to run, where progress goes, and `part`,
// which turns a failed measurement into a missing figure so the run goes on.
import type { Measured } from './measured.ts';

export interface BenchRun {
  /** BENCH_QUICK=1: everything smaller. */
  quick: boolean;
  /** The full figure, or the small one in a quick run. */
  scale(full: number, small: number): number;
  say(line: string): void;
  /** Seconds since the run started. */
  seconds(): number;
  /** Runs one part; a failure becomes a missing figure with its reason, and the run goes on. */
  part<T extends object>(title: string, measure: () => Promise<T | Measured<T>>): Promise<Measured<T>>;
}

export function startBenchRun(quick: boolean): BenchRun {
  const started = performance.now();
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const seconds = () => (performance.now() - started) / 1000;
  return {
    quick,
    scale: (full, small) => (quick ? small : full),
    say,
    seconds,
    async part<T extends object>(
      title: string,
      measure: () => Promise<T | Measured<T>>,
    ): Promise<Measured<T>> {
      say(`\n[${Math.round(seconds())} s] ${title}`);
      try {
        const result = await measure();
        return 'status' in result ? (result as Measured<T>) : { status: 'measured', ...(result as T) };
      } catch (error) {
        const reason = (error as Error).message.split('\n')[0]!;
        say(`  ${title}: failed: ${reason}`);
        return { status: 'missing', reason };
      }
    },
  };
}
