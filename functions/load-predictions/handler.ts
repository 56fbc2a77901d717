import { createLogger } from '../../lib/logger.ts';
import { stageHandler } from '../../template/node20-ts/stage.ts';
import { describeInfluxSettings, readInfluxSettings } from '../shared/influx-settings.ts';
import { createInfluxWriter } from '../shared/influx-writer.ts';
import { loadPredictionsStage } from './stage.ts';

// Read once per replica at start: a missing setting or secret stops the replica with its name.
const logger = createLogger({ service: 'load-predictions' });
const settings = readInfluxSettings();
logger.info({ influxdb: describeInfluxSettings(settings) }, 'writing to InfluxDB');

/** cdn_result -> InfluxDB measurement predictions. */
export default stageHandler(loadPredictionsStage(createInfluxWriter(settings), logger));
