import { describe, expect, it } from 'vitest';
import type { FunctionMetadata } from '../../contracts/openfaas/function.ts';
import { settings } from '../../contracts/openfaas/settings.ts';
import { isCdnfaasError } from '../../lib/errors.ts';
import { scaleSettings } from './settings.ts';

function status(labels: Record<string, string>, annotations: Record<string, string> = {}): FunctionMetadata {
  return { name: 'predict', labels, annotations: { topic: 'cdn_data', ...annotations } };
}

describe('scaleSettings', () => {
  it('uses the OpenFaaS defaults', () => {
    expect(scaleSettings(status({}))).toEqual({
      min: 1,
      max: 20,
      zeroAllowed: false,
      zeroAfterMs: settings.scaleZeroDuration.default,
      lagTarget: 1000,
      downWindowMs: settings.downWindow.default,
    });
  });

  it('reads labels and annotations', () => {
    expect(
      scaleSettings(
        status(
          {
            'com.openfaas.scale.min': '2',
            'com.openfaas.scale.max': '4',
            'com.openfaas.scale.zero': 'true',
            'com.openfaas.scale.zero-duration': '30s',
          },
          { 'cdnfaas.scale.lag-target': '10000', 'cdnfaas.scale.down-window': '1m' },
        ),
      ),
    ).toEqual({
      min: 2,
      max: 4,
      zeroAllowed: true,
      zeroAfterMs: 30_000,
      lagTarget: 10_000,
      downWindowMs: 60_000,
    });
  });

  it.each([
    [{ 'com.openfaas.scale.max': '0' }, 'com.openfaas.scale.max'],
    [{ 'com.openfaas.scale.min': '5', 'com.openfaas.scale.max': '2' }, 'below'],
    [{ 'com.openfaas.scale.zero': 'maybe' }, 'com.openfaas.scale.zero'],
    [{ 'com.openfaas.scale.zero-duration': 'later' }, 'zero-duration'],
  ])('refuses %j', (labels, text) => {
    try {
      scaleSettings(status(labels));
      expect.unreachable();
    } catch (error) {
      expect(isCdnfaasError(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain(text);
    }
  });
});
