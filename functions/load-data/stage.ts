import { clientDataSchema, type ClientData } from '../../contracts/client-data.ts';
import type { Logger } from '../../lib/logger.ts';
import { acceptJsonText } from '../shared/json-text.ts';
import type { Stage } from '../../template/node20-ts/stage.ts';
import type { LineWriter } from '../shared/influx-writer.ts';
import { toLine } from '../shared/point.ts';
import { sinkStage } from '../shared/sink-stage.ts';
import { clientDataPoint } from './client-data-point.ts';

/** cdn_client_data_storage -> InfluxDB `cdn_client_data`, one point per record. */
export function loadDataStage(writer: LineWriter, logger?: Logger): Stage<ClientData> {
  return sinkStage({
    input: acceptJsonText(clientDataSchema),
    toLine: (record) => toLine(clientDataPoint(record.value)),
    writer,
    ...(logger ? { logger } : {}),
  });
}
