import { accept, quote, refuse, type Parsed } from './parsed.ts';

/** A raw column value as a source sends it (CSV strings, sometimes JSON numbers or null). */
export type RawValue = string | number | null | undefined;

/** Codes are categorical ids; they fit a signed 32-bit integer in every store and model. */
export const maxCode = 2_147_483_647;

/** The code a missing optional value takes, as the original system filled gaps. */
export const missingCode = -1;

// Integers as CSV writers print them: `13`, `+13`, and the float forms `13.0` / `13.` that
// the CDN files use for user_id and content_id. Exponents and hex are not codes.
const integerText = /^[+-]?\d+(?:\.0*)?$/;

export function isEmptyValue(raw: RawValue): boolean {
  return raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '');
}

export interface CodeRules {
  /** When set, an empty value becomes this code instead of being refused. */
  whenEmpty?: number;
}

/**
 * Parses one categorical code. Refuses fractions (`13.5`), text (`abc`), negative ids and values
 * beyond 32 bits; an explicit -1 is accepted only where the column has a missing marker.
 */
export function parseCode(column: string, raw: RawValue, rules: CodeRules = {}): Parsed<number> {
  if (isEmptyValue(raw)) {
    return rules.whenEmpty === undefined ? refuse(`${column} is empty`) : accept(rules.whenEmpty);
  }
  let value: number;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return refuse(`${column} is not an integer (got ${quote(raw)})`);
    value = raw;
  } else {
    const text = (raw as string).trim();
    if (!integerText.test(text)) {
      const looksNumeric = Number.isFinite(Number(text));
      return refuse(
        `${column} is not an integer (got ${quote(raw)})${looksNumeric ? '' : ': garbled value'}`,
      );
    }
    value = Number(text);
  }
  if (value === missingCode && rules.whenEmpty === missingCode) return accept(missingCode);
  if (value < 0) return refuse(`${column} is negative (got ${quote(raw)}): ids are >= 0`);
  if (value > maxCode) return refuse(`${column} is out of range (got ${quote(raw)}): ids are <= ${maxCode}`);
  // Number('-0') is -0; a code has no sign.
  return accept(value === 0 ? 0 : value);
}
