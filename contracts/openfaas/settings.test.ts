import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import type { FunctionMetadata } from './function.ts';
import { checkSetting, inputTopic, readScaleBounds, readSetting, settingText } from './read-settings.ts';
import { defaultMaxReplicas, settings, topicList, wholeNumber } from './settings.ts';

const fn = (
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): FunctionMetadata => ({
  name: 'predict',
  labels,
  annotations,
});

describe('the settings registry', () => {
  it('holds each key once', () => {
    const keys = Object.values(settings).map((setting) => setting.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('puts OpenFaaS scaling settings in labels and cdnfaas settings in annotations', () => {
    for (const setting of Object.values(settings))
      expect(setting.source, setting.key).toBe(
        setting.key.startsWith('com.openfaas.') ? 'label' : 'annotation',
      );
  });

  it('documents every setting and parses its own default', () => {
    for (const setting of Object.values(settings)) {
      expect(setting.doc.length, setting.key).toBeGreaterThan(10);
      if (typeof setting.default === 'number')
        expect(setting.parse(String(setting.default))).not.toBeUndefined();
    }
  });

  it("defaults com.openfaas.scale.max to OpenFaaS's 20", () => {
    expect(settings.scaleMax.default).toBe(20);
    expect(defaultMaxReplicas).toBe(20);
  });

  it.each([
    ['7', 7],
    [' 7 ', 7],
    ['0', undefined],
    ['1e3', undefined],
    ['2.0', undefined],
    ['-1', undefined],
    ['', undefined],
  ])('reads %j as a whole number >= 1: %s', (text, value) => expect(wholeNumber(1)(text)).toBe(value));

  it('reads topic lists, dropping blanks and repeats, refusing bad names', () => {
    expect(topicList(' a, b ,,a ')).toEqual(['a', 'b']);
    expect(topicList('a, bad topic!')).toBeUndefined();
  });
});

describe('readSetting', () => {
  it('gives the default for an absent or blank value', () => {
    expect(readSetting(fn(), settings.maxRecords)).toBe(500);
    expect(readSetting(fn({}, { 'cdnfaas.batch.max-records': ' ' }), settings.maxRecords)).toBe(500);
  });

  it('reads labels first and annotations as a fallback for OpenFaaS settings', () => {
    expect(
      readSetting(
        fn({ 'com.openfaas.scale.max': '4' }, { 'com.openfaas.scale.max': '9' }),
        settings.scaleMax,
      ),
    ).toBe(4);
    expect(readSetting(fn({}, { 'com.openfaas.scale.max': '9' }), settings.scaleMax)).toBe(9);
  });

  it('reads cdnfaas settings from annotations only', () => {
    expect(readSetting(fn({ 'cdnfaas.timeout-ms': '900' }), settings.timeoutMs)).toBe(30_000);
    expect(settingText(fn({}, { 'cdnfaas.timeout-ms': '900' }), settings.timeoutMs)).toBe('900');
  });

  it('reads durations, flags and bounded counts', () => {
    const labels = { 'com.openfaas.scale.zero': 'yes', 'com.openfaas.scale.zero-duration': '1m30s' };
    expect(readSetting(fn(labels), settings.scaleZero)).toBe(true);
    expect(readSetting(fn(labels), settings.scaleZeroDuration)).toBe(90_000);
    expect(readSetting(fn({ 'com.openfaas.scale.factor': '100' }), settings.scaleFactor)).toBe(100);
  });

  it.each([
    [settings.scaleFactor, { 'com.openfaas.scale.factor': '101' }, 'a whole number from 0 to 100'],
    [settings.scaleZero, { 'com.openfaas.scale.zero': 'maybe' }, 'true or false'],
    [settings.scaleZeroDuration, { 'com.openfaas.scale.zero-duration': 'later' }, 'a duration'],
  ])(
    'refuses a malformed %s with CONFIG_INVALID naming the function, key and value',
    (setting, labels, expected) => {
      try {
        readSetting<unknown>(fn(labels), setting);
        expect.unreachable();
      } catch (error) {
        expect(isCdnfaasError(error, 'CONFIG_INVALID')).toBe(true);
        const message = (error as Error).message;
        for (const part of ['predict', setting.key, Object.values(labels)[0]!, expected])
          expect(message).toContain(part);
      }
    },
  );
});

describe('checkSetting', () => {
  it('lists a malformed value as a problem and gives undefined', () => {
    const problems: string[] = [];
    expect(
      checkSetting(fn({}, { 'cdnfaas.batch.max-bytes': '12' }), settings.maxBytes, problems),
    ).toBeUndefined();
    expect(problems).toEqual(['cdnfaas.batch.max-bytes: "12" is not a whole number >= 1024']);
  });

  it('gives undefined for an absent value without a problem', () => {
    const problems: string[] = [];
    expect(checkSetting(fn(), settings.lagTarget, problems)).toBeUndefined();
    expect(problems).toEqual([]);
  });
});

describe('inputTopic', () => {
  it('is the one topic, or undefined for a function called over HTTP', () => {
    expect(inputTopic(fn({}, { topic: 'cdn_raw' }))).toBe('cdn_raw');
    expect(inputTopic(fn())).toBeUndefined();
  });

  it('refuses two topics', () => {
    expect(() => inputTopic(fn({}, { topic: 'a,b' }))).toThrow(/one topic per function/);
  });
});

describe('readScaleBounds', () => {
  it('reads min and max, raising min to a floor', () => {
    expect(readScaleBounds(fn({ 'com.openfaas.scale.min': '0', 'com.openfaas.scale.max': '3' }))).toEqual({
      min: 0,
      max: 3,
    });
    expect(readScaleBounds(fn({ 'com.openfaas.scale.min': '0' }), 1)).toEqual({ min: 1, max: 20 });
  });

  it('refuses a max below min, naming both keys', () => {
    expect(() =>
      readScaleBounds(fn({ 'com.openfaas.scale.min': '5', 'com.openfaas.scale.max': '2' })),
    ).toThrow(/com.openfaas.scale.max=2 is below com.openfaas.scale.min=5/);
  });
});
