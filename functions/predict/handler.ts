import { createLogger } from '../../lib/logger.ts';
import { stageHandler } from '../../template/node20-ts/stage.ts';
import { loadModel } from './model.ts';
import { resolveModelDir } from './model-dir.ts';
import { predictStage } from './stage.ts';

// Once per replica, before the first call: the template answers health 503 until this resolves.
const logger = createLogger({ service: 'predict' });
const modelDir = resolveModelDir({ env: process.env, handlerUrl: import.meta.url, cwd: process.cwd() });
const model = await loadModel(modelDir);
logger.info({ modelDir, pipelineType: model.pipelineType }, 'model loaded');

/** ClientData -> Prediction (cluster, normal/anomaly, model name@version) on cdn_result. */
export default stageHandler(predictStage(model));
