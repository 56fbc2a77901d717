import type { Unit } from '../view-model.ts';

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/**
 * Steps for byte axes in powers of 1024 (1, 2, 5, 10, 20, 50, 100, 200, 500 of B, KiB, MiB, ...).
 * uPlot's default steps are decimal, so a bytes axis got splits such as 9,000,000 and 9,500,000,
 * which read as 8.6 MiB/s and 9.1 MiB/s; binary steps give 8 MiB/s, 10 MiB/s.
 */
export const binaryIncrs: number[] = byteUnits.flatMap((_, power) =>
  [1, 2, 5, 10, 20, 50, 100, 200, 500].map((step) => step * 1024 ** power),
);

function isBytes(unit: Unit): boolean {
  return unit === 'bytes' || unit === 'bytes-per-second';
}

/** The uPlot y-axis steps for a unit: binary for bytes, uPlot's own otherwise. */
export function axisIncrs(unit: Unit): number[] | undefined {
  return isBytes(unit) ? binaryIncrs : undefined;
}

/**
 * Labels of a bytes axis, all in the unit of its largest split ("0 MiB/s" rather than "0 B/s"
 * under "9.5 MiB/s"), so they read in order from the bottom of the axis to the top.
 */
export function byteAxisLabels(splits: readonly number[], unit: Unit): string[] {
  const largest = Math.max(0, ...splits.map((value) => Math.abs(value)));
  let power = 0;
  while (largest >= 1024 ** (power + 1) && power < byteUnits.length - 1) power++;
  const suffix = unit === 'bytes-per-second' ? '/s' : '';
  return splits.map((value) => `${oneDecimal.format(value / 1024 ** power)} ${byteUnits[power]}${suffix}`);
}
