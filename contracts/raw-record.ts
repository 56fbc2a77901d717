import { z } from 'zod';
import { featureColumns } from './client-data.ts';

/**
 * A record on `cdn_raw`: whatever the source sends, typically a CSV row as an object of
 * strings in any column order. `provide` decides whether it becomes ClientData.
 */
export const rawRecordSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.null()]))
  .describe('RawRecord');

export type RawRecord = z.infer<typeof rawRecordSchema>;

/**
 * The CSV header of the CDN data, in the order the original files use: the time, then the
 * categorical columns in the order the model sees them.
 */
export const rawColumns = ['timestamp', ...featureColumns] as const;
