import { z } from 'zod';

/**
 * A record on `cdn_raw`: whatever the source sends, typically a CSV row as an object of
 * strings in any column order. `provide` decides whether it becomes ClientData.
 */
export const rawRecordSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()])).describe('RawRecord');

export type RawRecord = z.infer<typeof rawRecordSchema>;

/** The CSV header of the CDN data, in the order the original files use. */
export const rawColumns = [
  'timestamp',
  'channel_id',
  'host_id',
  'content_type',
  'protocol',
  'content_id',
  'geo_location',
  'user_id',
] as const;
