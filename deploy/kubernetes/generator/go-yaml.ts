/**
 * A YAML writer that renders what faas-cli prints: Go's gopkg.in/yaml.v3 encoder with
 * SetIndent(2). faas-cli marshals Go structs (fields in declaration order) and Go maps (keys
 * sorted by yaml.v3's "natural" order, digits compared as numbers); strings are plain unless
 * they would read back as another type, then double-quoted; strings that plain style cannot
 * carry (": ", leading indicators) are single-quoted. Only the shapes a Function resource
 * uses are supported: structs, string maps, string lists, strings and booleans.
 */

/** A Go map: rendered with its keys sorted as yaml.v3 sorts them. */
export class GoMap {
  constructor(readonly entries: Record<string, string>) {}
}

/** A Go struct: fields in the given order, `undefined` fields left out (omitempty). */
export type GoStruct = { [field: string]: GoValue | undefined };
export type GoValue = string | boolean | string[] | GoMap | GoStruct;

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** yaml.v3's keyList.Less for two string keys. */
export function goKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]!);
      continue;
    }
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

export function goSortKeys(keys: string[]): string[] {
  return [...keys].sort((a, b) => (goKeyLess(a, b) ? -1 : goKeyLess(b, a) ? 1 : 0));
}

const nullWords = new Set(['', '~', 'null', 'Null', 'NULL']);
const boolWords = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const oldBools = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'off',
  'Off',
  'OFF',
]);
const specialFloats = /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/;
const yamlFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const goInt = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
const base60Float = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const timestampLike = /^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)/;

/** True when yaml.v3 would read the plain scalar back as something other than a string. */
function resolvesToNonString(s: string): boolean {
  if (nullWords.has(s) || boolWords.has(s) || specialFloats.test(s)) return true;
  const plain = s.replaceAll('_', '');
  if (goInt.test(plain) || yamlFloat.test(plain)) return true;
  return timestampLike.test(s);
}

/** libyaml's analysis: can this string be written as a plain scalar in block context? */
function plainAllowed(s: string): boolean {
  if (s.startsWith('---') || s.startsWith('...')) return false;
  if (/^\s|\s$/.test(s)) return false;
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    const followedByBlank = next === undefined || next === ' ' || next === '\t';
    if (c.codePointAt(0)! < 0x20 || c === '\u007f') return false;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) return false;
      if ((c === '?' || c === ':' || c === '-') && followedByBlank) return false;
    } else {
      if (c === ':' && followedByBlank) return false;
      if (c === '#' && (chars[i - 1] === ' ' || chars[i - 1] === '\t')) return false;
    }
  }
  return true;
}

function doubleQuoted(s: string): string {
  const escaped = [...s]
    .map((c) => {
      if (c === '"') return '\\"';
      if (c === '\\') return '\\\\';
      const code = c.codePointAt(0)!;
      if (code < 0x20) return `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
      return c;
    })
    .join('');
  return `"${escaped}"`;
}

/** One string scalar as yaml.v3 writes it. */
export function goScalar(s: string): string {
  if (s.includes('\n')) throw new Error('multi-line strings are not used in Function resources');
  if (resolvesToNonString(s) || oldBools.has(s) || base60Float.test(s)) return doubleQuoted(s);
  if (plainAllowed(s)) return s;
  return `'${s.replaceAll("'", "''")}'`;
}

function renderEntries(entries: [string, GoValue][], indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  for (const [key, value] of entries) {
    const name = goScalar(key);
    if (typeof value === 'string') lines.push(`${pad}${name}: ${goScalar(value)}`);
    else if (typeof value === 'boolean') lines.push(`${pad}${name}: ${value}`);
    else if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${pad}${name}: []`);
      else {
        lines.push(`${pad}${name}:`);
        for (const item of value) lines.push(`${pad}  - ${goScalar(item)}`);
      }
    } else if (value instanceof GoMap) {
      const keys = goSortKeys(Object.keys(value.entries));
      if (keys.length === 0) lines.push(`${pad}${name}: {}`);
      else {
        lines.push(`${pad}${name}:`);
        renderEntries(
          keys.map((k) => [k, value.entries[k]!]),
          indent + 2,
          lines,
        );
      }
    } else {
      const fields = structFields(value);
      if (fields.length === 0) lines.push(`${pad}${name}: {}`);
      else {
        lines.push(`${pad}${name}:`);
        renderEntries(fields, indent + 2, lines);
      }
    }
  }
}

function structFields(struct: GoStruct): [string, GoValue][] {
  return Object.entries(struct).filter((entry): entry is [string, GoValue] => entry[1] !== undefined);
}

/** One document as yaml.v3's Encoder writes a struct (ends with a newline). */
export function renderGoYaml(document: GoStruct): string {
  const lines: string[] = [];
  renderEntries(structFields(document), 0, lines);
  return `${lines.join('\n')}\n`;
}
