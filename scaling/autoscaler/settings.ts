import { CdnfaasError } from '../../lib/errors.ts';
import {
  durationMs,
  flag,
  keys,
  positiveInteger,
  type FunctionStatus,
} from '../../connectors/kafka/function-spec.ts';
import type { ScaleSettings } from './decision.ts';

/** OpenFaaS's defaults for its scaling labels, and ours for the lag-based ones. */
export const scaleDefaults = {
  min: 1,
  max: 20,
  zeroAfterMs: 15 * 60_000,
  lagTarget: 1000,
  downWindowMs: 60_000,
} as const;

/**
 * Scaling settings of a function from its labels and annotations: com.openfaas.scale.min/max,
 * com.openfaas.scale.zero and zero-duration as OpenFaaS defines them, cdnfaas.scale.lag-target
 * and cdnfaas.scale.down-window for the lag rule. Throws CONFIG_INVALID naming the bad key.
 */
export function scaleSettings(status: FunctionStatus): ScaleSettings {
  const min = positiveInteger(status, keys.scaleMin, scaleDefaults.min);
  const max = positiveInteger(status, keys.scaleMax, scaleDefaults.max);
  if (max < min) {
    throw new CdnfaasError(
      'CONFIG_INVALID',
      `function ${status.name}: ${keys.scaleMax}=${max} is below ${keys.scaleMin}=${min}`,
      {
        hint: `raise ${keys.scaleMax} or lower ${keys.scaleMin} in stack.yml`,
        context: { function: status.name },
      },
    );
  }
  return {
    min,
    max,
    zeroAllowed: flag(status, keys.scaleZero),
    zeroAfterMs: durationMs(status, keys.scaleZeroDuration, scaleDefaults.zeroAfterMs),
    lagTarget: positiveInteger(status, keys.lagTarget, scaleDefaults.lagTarget),
    downWindowMs: durationMs(status, keys.downWindow, scaleDefaults.downWindowMs),
  };
}
