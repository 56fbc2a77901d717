import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr for long jobs. On a terminal it redraws in place; elsewhere (CI, logs)
 * it prints a line at most every few seconds, so progress stays visible without flooding.
 */
export function createProgress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
        stream,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      update: (done, newTotal) => {
        if (newTotal !== undefined) bar.setTotal(newTotal);
        bar.update(done);
      },
      stop: () => bar.stop(),
    };
  }
  let lastPrinted = 0;
  let current = 0;
  let size = total;
  const print = () =>
    stream.write(`${label}: ${current}/${size} (${size > 0 ? Math.floor((100 * current) / size) : 100}%)\n`);
  return {
    update: (done, newTotal) => {
      current = done;
      if (newTotal !== undefined) size = newTotal;
      const now = Date.now();
      if (now - lastPrinted >= 3000) {
        lastPrinted = now;
        print();
      }
    },
    stop: () => print(),
  };
}
