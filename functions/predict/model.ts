import { pipelineType } from '../../ml/model-bundle.ts';
import { createScorer } from '../../ml/scorer.ts';
import type { Model } from './stage.ts';

/** Loads the ONNX model in `dir` into one session for the life of the replica. */
export async function loadModel(dir: string): Promise<Model & { close(): Promise<void> }> {
  const scorer = await createScorer(dir);
  return {
    pipelineType: pipelineType(scorer.bundle.metadata),
    score: (records) => scorer.score(records),
    close: () => scorer.close(),
  };
}
