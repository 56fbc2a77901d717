/** One generated CSV row, in the published files' columns. null = an empty cell. */
export interface CdnRow {
  timestamp: string;
  channel_id: number;
  host_id: number;
  content_type: number;
  protocol: number;
  content_id: number | null;
  geo_location: number;
  user_id: number | null;
}

export const csvHeader = 'timestamp,channel_id,host_id,content_type,protocol,content_id,geo_location,user_id';

/** `13.0`: the published files write user_id and content_id as floats. */
export function formatFloatCode(value: number | null): string {
  return value === null ? '' : value.toFixed(1);
}

export function formatRow(row: CdnRow): string {
  return [
    row.timestamp,
    row.channel_id,
    row.host_id,
    row.content_type,
    row.protocol,
    formatFloatCode(row.content_id),
    row.geo_location,
    formatFloatCode(row.user_id),
  ].join(',');
}
