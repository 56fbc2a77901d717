import type { ClientData } from '../../contracts/client-data.ts';
import type { PointSpec } from '../shared/point.ts';
import { eventPointTime } from '../shared/point-time.ts';

export const clientDataMeasurement = 'cdn_client_data';

/**
 * A ClientData record as a point of `cdn_client_data`: tagged by user and host (the dimensions
 * dashboards group by), every other attribute a field, at its event time. The time carries a
 * sample_id-derived nanosecond offset inside the timestamp's precision, so records sharing a
 * timestamp, user and host stay distinct points while a re-delivered record lands on its own
 * point again (see functions/README.md).
 */
export function clientDataPoint(record: ClientData): PointSpec {
  return {
    measurement: clientDataMeasurement,
    tags: { user_id: String(record.user_id), host_id: String(record.host_id) },
    intFields: {
      channel_id: record.channel_id,
      content_type: record.content_type,
      protocol: record.protocol,
      content_id: record.content_id,
      geo_location: record.geo_location,
    },
    stringFields: { sample_id: record.sample_id },
    timeNs: eventPointTime(record.timestamp, record.sample_id),
  };
}
