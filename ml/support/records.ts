import type { FeatureRecord } from '../features.ts';

/**
 * The codes of one CDN row as the model reads them (what `readTrainingCsv` gives and `featurize`
 * takes); `overrides` change single columns.
 */
export function featureRecord(overrides: Partial<FeatureRecord> = {}): FeatureRecord {
  return {
    channel_id: 8,
    host_id: 156,
    content_type: 2,
    protocol: 1,
    content_id: -1,
    geo_location: 1,
    user_id: 13,
    ...overrides,
  };
}

/** The record most rows of the drift and rarity tests share: channel 3, host 120, location 7. */
export const commonRecord: FeatureRecord = featureRecord({ channel_id: 3, host_id: 120, geo_location: 7 });
