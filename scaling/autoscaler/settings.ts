import { CdnfaasError } from '../../lib/errors.ts';
import type { FunctionMetadata } from '../../contracts/openfaas/function.ts';
import { readSetting } from '../../contracts/openfaas/read-settings.ts';
import { settings } from '../../contracts/openfaas/settings.ts';
import type { ScaleSettings } from './decision.ts';

/**
 * Scaling settings of a function from its labels and annotations: com.openfaas.scale.min/max,
 * com.openfaas.scale.zero and zero-duration as OpenFaaS defines them, cdnfaas.scale.lag-target
 * and cdnfaas.scale.down-window for the lag rule; defaults from the settings registry. Throws
 * CONFIG_INVALID naming the bad key. The lag autoscaler keeps at least one replica unless
 * scale-to-zero is on, so a minimum of 0 counts as 1.
 */
export function scaleSettings(fn: FunctionMetadata): ScaleSettings {
  const min = Math.max(1, readSetting(fn, settings.scaleMin));
  const max = readSetting(fn, settings.scaleMax);
  if (max < min) {
    throw new CdnfaasError(
      'CONFIG_INVALID',
      `function ${fn.name}: ${settings.scaleMax.key}=${max} is below ${settings.scaleMin.key}=${min}`,
      {
        hint: `raise ${settings.scaleMax.key} or lower ${settings.scaleMin.key} in stack.yml`,
        context: { function: fn.name },
      },
    );
  }
  return {
    min,
    max,
    zeroAllowed: readSetting(fn, settings.scaleZero),
    zeroAfterMs: readSetting(fn, settings.scaleZeroDuration),
    lagTarget: readSetting(fn, settings.lagTarget),
    downWindowMs: readSetting(fn, settings.downWindow),
  };
}
