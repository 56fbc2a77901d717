import { clientDataSchema, type ClientData } from '../../contracts/client-data.ts';
import { acceptJsonText } from '../shared/json-text.ts';
import type { Stage } from '../../template/node20-ts/stage.ts';
import { toPredictions, type ModelVerdict } from './to-predictions.ts';

/** The part of a loaded model the stage needs: one batch in, one verdict per record out. */
export interface Model {
  /** `name@version`, the pipeline_type of every prediction. */
  pipelineType: string;
  score(records: readonly ClientData[]): Promise<ModelVerdict[]>;
}

/** ClientData -> Prediction keyed by sample_id; the whole batch goes through the model at once. */
export function predictStage(model: Model, clock: () => Date = () => new Date()): Stage<ClientData> {
  return {
    input: acceptJsonText(clientDataSchema),
    async process(records) {
      const values = records.map((record) => record.value);
      const verdicts = await model.score(values);
      return toPredictions(values, verdicts, { at: clock(), pipelineType: model.pipelineType }).map(
        (prediction) => ({
          status: 'ok' as const,
          outputs: [{ key: prediction.sample_id, value: prediction }],
        }),
      );
    },
  };
}
