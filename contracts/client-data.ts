import { z } from 'zod';

const int = z.number().int();

/**
 * A validated CDN client-error record, as `provide` publishes it on `cdn_data` and
 * `cdn_client_data_storage`. Field for field the original system's contract; no other keys.
 */
export const clientDataSchema = z
  .object({
    sample_id: z.uuid().describe('stable id of the raw record: the same raw record always gets the same id'),
    channel_id: int.min(0).describe('CDN channel code'),
    timestamp: z.iso.datetime({ offset: true }).describe('when the error happened, ISO 8601'),
    host_id: int.describe('edge host code'),
    content_type: int.describe('content type code'),
    protocol: int.describe('protocol code'),
    content_id: int.describe('content code, -1 when missing'),
    geo_location: int.describe('client location code'),
    user_id: int.describe('customer code'),
  })
  .strict()
  .describe('ClientData');

export type ClientData = z.infer<typeof clientDataSchema>;

/** The categorical columns of ClientData, in the order the model sees them. */
export const featureColumns = [
  'channel_id',
  'host_id',
  'content_type',
  'protocol',
  'content_id',
  'geo_location',
  'user_id',
] as const satisfies readonly (keyof ClientData)[];

export type FeatureColumn = (typeof featureColumns)[number];
