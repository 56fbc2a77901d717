// Malformed inputs for fuzzing, as fast-check arbitraries and plain builders. Every builder is
// deterministic for a given seed, so a failure prints a seed that reproduces it.
import fc from 'fast-check';

/** The CDN columns with a valid value each. */
export const validRow: Record<string, string> = {
  timestamp: '2088-05-13 07:00:03',
  channel_id: '3',
  host_id: '12',
  content_type: '1',
  protocol: '2',
  content_id: '',
  geo_location: '40',
  user_id: '77.0',
};

export const columns = Object.keys(validRow);

/** JSON nested `depth` levels deep, as text (JSON.stringify would recurse that deep itself). */
export function deeplyNested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** A cell value of any shape: text of any alphabet, numbers, null, nested values, huge strings. */
export const anyCell: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, -0)) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

/** A raw record: some CDN columns (valid, missing or spoiled), sometimes extra or odd-looking keys. */
export const mangledRecord: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.array(
      fc.tuple(fc.constantFrom(...columns), fc.oneof(fc.constant('keep'), fc.constant('drop'), anyCell)),
      { maxLength: 10 },
    ),
    fc.dictionary(
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom(' host_id', '\uFEFFtimestamp', '__proto__', 'constructor'),
      ),
      anyCell,
      { maxKeys: 3 },
    ),
  )
  .map(([changes, extra]) => {
    const record: Record<string, unknown> = { ...validRow };
    for (const [column, change] of changes) {
      if (change === 'drop') delete record[column];
      else if (change !== 'keep') record[column] = change;
    }
    for (const [key, value] of Object.entries(extra))
      Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
    return record;
  });

/** Bytes that are seldom UTF-8, sometimes almost JSON. */
export const randomBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 2_000 }),
  fc
    .string({ unit: 'binary', maxLength: 500 })
    .map((text) => new TextEncoder().encode(`{"timestamp":"${text}`)),
);

/** A valid record in encodings a JSON reader must not take for UTF-8. */
export function wrongEncodings(record: Record<string, string>): Array<{ name: string; bytes: Buffer }> {
  const text = JSON.stringify(record);
  const withAccent = JSON.stringify({ ...record, host_id: '12é', géo: '1' });
  return [
    {
      name: 'UTF-16LE with BOM',
      bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    },
    { name: 'UTF-16LE without BOM', bytes: Buffer.from(text, 'utf16le') },
    { name: 'UTF-16BE', bytes: Buffer.from(text, 'utf16le').swap16() },
    { name: 'UTF-32LE', bytes: Buffer.from(text.split('').flatMap((c) => [c.charCodeAt(0), 0, 0, 0])) },
    { name: 'Latin-1 accents (invalid UTF-8)', bytes: Buffer.from(withAccent, 'latin1') },
    { name: 'UTF-8 BOM', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) },
    {
      name: 'overlong UTF-8 quote',
      bytes: Buffer.concat([
        Buffer.from('{"timestamp'),
        Buffer.from([0xc0, 0xa2]),
        Buffer.from(text.slice(11)),
      ]),
    },
    { name: 'NUL bytes', bytes: Buffer.from(text.replace(/,/g, ',\u0000')) },
    { name: 'lone surrogate escape', bytes: Buffer.from(JSON.stringify({ ...record, protocol: '\ud800' })) },
  ];
}
