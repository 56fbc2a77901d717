// The cells of the real-time sections of bench/REPORT.md: figures rounded as the tables show them.
import type { Measured } from './measured.ts';

export const finite = (n: number | undefined | null): n is number =>
  typeof n === 'number' && Number.isFinite(n);
export const int = (n: number | undefined) => (finite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const ms = (n: number | undefined) => (finite(n) ? (n < 100 ? n.toFixed(1) : int(n)) : 'n/a');
export const why = (part: Measured<object>) => (part.status === 'missing' ? `missing: ${part.reason}` : '');
