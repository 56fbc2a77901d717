import { describe, expect, it } from 'vitest';
import type { PartialFeatureRecord } from './features.ts';
import {
  buildRarity,
  rarityScore,
  rarityScores,
  raritySchema,
  raritySlotsBatch,
  surprisalTable,
} from './rarity.ts';
import { commonRecord } from './support/records.ts';

/** 10 records: 8 common, one with another host, one with another host and location. */
function records(): PartialFeatureRecord[] {
  return [
    ...Array.from({ length: 8 }, () => ({ ...commonRecord })),
    { ...commonRecord, host_id: 121 },
    { ...commonRecord, host_id: 122, geo_location: 8 },
  ];
}

describe('buildRarity', () => {
  const rarity = buildRarity(records());

  it('keeps every code of every column with its count, most frequent first, and lays out the slots', () => {
    const host = rarity.columns.find((column) => column.name === 'host_id')!;
    expect(host.codes).toEqual([120, 121, 122]);
    expect(host.counts).toEqual([8, 1, 1]);
    expect(rarity.total).toBe(10);
    // 7 columns: one code each plus an unseen slot, host 3 + 1, geo 2 + 1.
    expect(rarity.slots).toBe(5 * 2 + 4 + 3);
    expect(raritySchema.safeParse(rarity).success).toBe(true);
  });

  it('refuses a table whose offsets do not follow the columns', () => {
    const broken = { ...rarity, columns: rarity.columns.map((column) => ({ ...column, offset: 0 })) };
    const parsed = raritySchema.safeParse(broken);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['columns', 1, 'offset']);
  });
});

describe('surprisalTable', () => {
  it('is -ln of add-one smoothed frequencies, the unseen slot the largest', () => {
    const rarity = buildRarity(records());
    const table = surprisalTable(rarity);
    const host = rarity.columns.find((column) => column.name === 'host_id')!;
    // 10 rows, 3 codes + unseen: denominator 10 + 4.
    expect(table[host.offset]).toBeCloseTo(-Math.log(9 / 14), 12);
    expect(table[host.offset + 1]).toBeCloseTo(-Math.log(2 / 14), 12);
    expect(table[host.offset + 3]).toBeCloseTo(-Math.log(1 / 14), 12);
  });
});

describe('rarityScore', () => {
  const rarity = buildRarity(records());
  const table = surprisalTable(rarity);

  it('grows with every rare code a record carries', () => {
    const [usual, oneRare, twoRare, unseen] = rarityScores(
      [
        commonRecord,
        { ...commonRecord, host_id: 121 },
        { ...commonRecord, host_id: 122, geo_location: 8 },
        { ...commonRecord, host_id: 999, geo_location: 999 },
      ],
      rarity,
    );
    expect(oneRare!).toBeGreaterThan(usual!);
    expect(twoRare!).toBeGreaterThan(oneRare!);
    expect(unseen!).toBeGreaterThan(twoRare!);
  });

  it('treats a missing code as -1, as the features do', () => {
    expect(rarityScore({ ...commonRecord, content_id: null }, rarity, table)).toBe(
      rarityScore(commonRecord, rarity, table),
    );
  });

  it('gives the graph the slots whose surprisals sum to the score', () => {
    const record = { ...commonRecord, host_id: 122, geo_location: 4242 };
    const slots = raritySlotsBatch([commonRecord, record], rarity);
    expect(slots.length).toBe(14);
    const sum = Array.from(slots.slice(7), (slot) => table[Number(slot)]!).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(rarityScore(record, rarity, table), 12);
    const geo = rarity.columns.find((column) => column.name === 'geo_location')!;
    expect(Number(slots[7 + 5])).toBe(geo.offset + geo.codes.length);
  });
});
