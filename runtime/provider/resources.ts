import { CdnfaasError } from '../../lib/errors.ts';
import type { FunctionResources } from '../../contracts/openfaas/function.ts';

const units: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** A Kubernetes memory quantity ("128Mi", "1G", "536870912") in bytes; undefined when it is not one. */
export function parseMemoryQuantity(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([kKMGT]i?|)$/.exec(text.trim());
  if (match === null) return undefined;
  const unit = units[match[2]!];
  return unit === undefined ? undefined : Math.floor(Number(match[1]) * unit);
}

/** Share of a memory limit given to the V8 heap; the rest is code, buffers and native memory (onnxruntime). */
const heapShare = 0.75;
const minimumHeapMb = 16;

/**
 * Node flags that honour `limits.memory` the way a container limit would: the V8 old space is
 * capped below the limit, so a function that grows runs out of heap (and is restarted) instead
 * of taking the machine's memory. INVALID_INPUT for a quantity Kubernetes would refuse.
 */
export function nodeArgsForLimits(limits: FunctionResources | undefined): string[] {
  if (limits?.memory === undefined) return [];
  const bytes = parseMemoryQuantity(limits.memory);
  if (bytes === undefined || bytes <= 0) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `limits.memory ${JSON.stringify(limits.memory)} is not a memory quantity`,
      {
        hint: 'use a Kubernetes quantity such as 128Mi or 1Gi',
      },
    );
  }
  const heapMb = Math.max(minimumHeapMb, Math.floor((bytes / 1024 ** 2) * heapShare));
  return [`--max-old-space-size=${heapMb}`];
}
