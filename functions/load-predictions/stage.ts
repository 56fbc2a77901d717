import { predictionSchema, type Prediction } from '../../contracts/prediction.ts';
import type { Logger } from '../../lib/logger.ts';
import { acceptJsonText } from '../shared/json-text.ts';
import type { Stage } from '../../template/node20-ts/stage.ts';
import type { LineWriter } from '../shared/influx-writer.ts';
import { toLine } from '../shared/point.ts';
import { sourceOf } from '../shared/record-source.ts';
import { sinkStage } from '../shared/sink-stage.ts';
import { predictionPoint } from './prediction-point.ts';

/** cdn_result -> InfluxDB `predictions`, one point per record. */
export function loadPredictionsStage(writer: LineWriter, logger?: Logger): Stage<Prediction> {
  return sinkStage({
    input: acceptJsonText(predictionSchema),
    toLine: (record) => toLine(predictionPoint(record.value, sourceOf(record))),
    writer,
    ...(logger ? { logger } : {}),
  });
}
