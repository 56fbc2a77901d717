import { stageHandler } from '../../template/node20-ts/stage.ts';
import { provideStage } from './stage.ts';

/** cdn_raw -> ClientData on cdn_data and cdn_client_data_storage; refused rows go to cdn_raw.dlq. */
export default stageHandler(provideStage);
