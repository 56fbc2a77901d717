import type { Unit } from '../view-model.ts';

const compact = new Intl.NumberFormat('en', { maximumFractionDigits: 1, notation: 'compact' });
const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${oneDecimal.format(scaled)} ${units[unit]}`;
}

/** A value with its unit, short enough for a stat tile or an axis. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  switch (unit) {
    case 'per-second':
      return `${value >= 1000 ? compact.format(value) : oneDecimal.format(value)}/s`;
    case 'percent':
      return `${oneDecimal.format(value)} %`;
    case 'ms':
      return `${value >= 100 ? whole.format(value) : oneDecimal.format(value)} ms`;
    case 'bytes-per-second':
      return `${bytes(value)}/s`;
    case 'bytes':
      return bytes(value);
    case 'count':
      return value >= 1_000_000 ? compact.format(value) : whole.format(value);
  }
}
