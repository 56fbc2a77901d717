import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../../lib/errors.ts';
import { candidateOf, promotedDeployment, shadowDeployment, type DeployedFunction } from './shadow-plan.ts';

const live: DeployedFunction = {
  name: 'predict',
  image: 'cdnfaas/predict:0.1.0-maaaaaaaaaa',
  envVars: { exec_timeout: '30s' },
  labels: { 'com.openfaas.scale.min': '1', 'com.openfaas.scale.max': '4' },
  annotations: {
    topic: 'cdn_data',
    'cdnfaas.output': 'cdn_result',
    'cdnfaas.model': 'cdn-kmeans@a',
    'cdnfaas.batch.max-records': '1000',
  },
  secrets: [],
};
const candidate = { ref: 'cdnfaas/predict:0.1.0-mbbbbbbbbbb', model: 'cdn-kmeans@b' };

describe('shadowDeployment', () => {
  const shadow = shadowDeployment(live, candidate);

  it('reads the live input in a function of its own and writes only to the shadow topic', () => {
    expect(shadow.service).toBe('predict-shadow');
    expect(shadow.image).toBe(candidate.ref);
    expect(shadow.annotations).toEqual({
      topic: 'cdn_data',
      'cdnfaas.output': 'cdn_result_shadow',
      'cdnfaas.model': 'cdn-kmeans@b',
      'cdnfaas.shadow-of': 'predict',
      'cdnfaas.batch.max-records': '1000',
    });
    expect(shadow.labels).toEqual(live.labels);
    expect(shadow.envVars).toEqual(live.envVars);
  });

  it('refuses a function without a stream to shadow', () => {
    const error = (() => {
      try {
        shadowDeployment({ ...live, annotations: { topic: 'cdn_data' } }, candidate);
      } catch (caught) {
        return caught;
      }
    })();
    expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
  });

  it('names the candidate it runs, and refuses a function that shadows nothing', () => {
    expect(candidateOf({ name: 'predict-shadow', image: shadow.image, annotations: shadow.annotations }, 'predict')).toEqual(
      candidate,
    );
    expect(() => candidateOf(live, 'predict')).toThrow(/is not a shadow of predict/);
  });
});

describe('promotedDeployment', () => {
  it('changes the image and the model annotation of the live function, nothing else', () => {
    const promoted = promotedDeployment(live, candidate);
    expect(promoted.service).toBe('predict');
    expect(promoted.image).toBe(candidate.ref);
    expect(promoted.annotations).toEqual({ ...live.annotations, 'cdnfaas.model': 'cdn-kmeans@b' });
    expect(promoted.labels).toEqual(live.labels);
    expect(promoted.envVars).toEqual(live.envVars);
  });
});
