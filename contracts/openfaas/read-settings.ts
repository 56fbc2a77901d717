/**
 * Reading a registry setting from one function, in the two ways its readers need: the running
 * parts (connector, autoscaler, alert scaling) throw on a malformed value, naming the function
 * and the key; lint and the generators collect every problem and carry on with the default.
 */
import { CdnfaasError } from '../../lib/errors.ts';
import type { FunctionMetadata } from './function.ts';
import { settings, type Setting } from './settings.ts';

/** The setting's text as the function carries it, or undefined. Labels fall back to annotations. */
export function settingText(fn: FunctionMetadata, setting: Setting<unknown>): string | undefined {
  if (setting.source === 'label') return fn.labels?.[setting.key] ?? fn.annotations?.[setting.key];
  return fn.annotations?.[setting.key];
}

/** Absent and blank text both mean "use the default". */
const unset = (text: string | undefined): text is undefined => text === undefined || text.trim() === '';

export function invalidSetting(
  fn: FunctionMetadata,
  key: string,
  text: string,
  expected: string,
): CdnfaasError {
  return new CdnfaasError(
    'CONFIG_INVALID',
    `function ${fn.name}: ${key}=${JSON.stringify(text)} is not ${expected}`,
    {
      hint: `fix ${key} in stack.yml and deploy the function again`,
      context: { function: fn.name, key, value: text },
    },
  );
}

/** The value, the default when unset; CONFIG_INVALID naming the function and key when malformed. */
export function readSetting<T>(fn: FunctionMetadata, setting: Setting<T>): T {
  const text = settingText(fn, setting);
  if (unset(text)) return setting.default;
  const value = setting.parse(text);
  if (value === undefined) throw invalidSetting(fn, setting.key, text, setting.expected);
  return value;
}

/**
 * The value when the function sets it and it parses; undefined when unset or malformed. A
 * malformed value adds `key: "text" is not <expected>` to problems.
 */
export function checkSetting<T>(
  fn: FunctionMetadata,
  setting: Setting<T>,
  problems: string[],
): T | undefined {
  const text = settingText(fn, setting);
  if (unset(text)) return undefined;
  const value = setting.parse(text);
  if (value === undefined) problems.push(`${setting.key}: "${text}" is not ${setting.expected}`);
  return value;
}

/** The function's one input topic, or undefined when it has none (called over HTTP only). */
export function inputTopic(fn: FunctionMetadata): string | undefined {
  const inputs = readSetting(fn, settings.topic);
  if (inputs.length > 1)
    throw invalidSetting(fn, settings.topic.key, inputs.join(','), 'a single topic (one topic per function)');
  return inputs[0];
}

/**
 * com.openfaas.scale.min and max, with CONFIG_INVALID when max is below min. `minFloor` raises
 * the minimum for a reader that never goes below it (the lag autoscaler keeps one replica
 * unless scale-to-zero is on).
 */
export function readScaleBounds(fn: FunctionMetadata, minFloor = 0): { min: number; max: number } {
  const min = Math.max(minFloor, readSetting(fn, settings.scaleMin));
  const max = readSetting(fn, settings.scaleMax);
  if (max < min) {
    const { scaleMin, scaleMax } = settings;
    throw new CdnfaasError(
      'CONFIG_INVALID',
      `function ${fn.name}: ${scaleMax.key}=${max} is below ${scaleMin.key}=${min}`,
      {
        hint: `raise ${scaleMax.key} or lower ${scaleMin.key} in stack.yml`,
        context: { function: fn.name },
      },
    );
  }
  return { min, max };
}
