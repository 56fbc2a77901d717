/** The outcome of parsing one value: the value, or why it was refused (one line, names the field). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export const accept = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const refuse = <T = never>(reason: string): Parsed<T> => ({ ok: false, reason });

/** How a raw value appears in a reason: quoted and cut short, so a huge field cannot flood the DLQ. */
export function quote(value: unknown, max = 40): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text);
}
