import cliProgress from 'cli-progress';

/** One progress bar per phase; without a terminal (CI, a pipe) it prints a line every 2 s instead of redrawing. */
export function bar(phase: string, size: number): cliProgress.SingleBar {
  const progress = new cliProgress.SingleBar(
    {
      format: ` ${phase.padEnd(30)} |{bar}| {value}/{total} records {note}`,
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 2_000,
    },
    cliProgress.Presets.shades_classic,
  );
  progress.start(size, 0, { note: '' });
  return progress;
}
