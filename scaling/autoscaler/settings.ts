import type { FunctionMetadata } from '../../contracts/openfaas/function.ts';
import { readScaleBounds, readSetting } from '../../contracts/openfaas/read-settings.ts';
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
  const { min, max } = readScaleBounds(fn, 1);
  return {
    min,
    max,
    zeroAllowed: readSetting(fn, settings.scaleZero),
    zeroAfterMs: readSetting(fn, settings.scaleZeroDuration),
    lagTarget: readSetting(fn, settings.lagTarget),
    downWindowMs: readSetting(fn, settings.downWindow),
  };
}
