import { expect } from 'vitest';
import { isCdnfaasError, type CdnfaasError, type ErrorCode } from '../../lib/errors.ts';

/** What `run` throws; the test fails when it returns instead. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but the call returned');
}

/** The CdnfaasError with `code` that `run` throws; the test fails on any other outcome. */
export function cdnfaasErrorFrom(run: () => unknown, code: ErrorCode): CdnfaasError {
  const error = thrownBy(run);
  expect(isCdnfaasError(error, code), `expected a CdnfaasError ${code}, got ${String(error)}`).toBe(true);
  return error as CdnfaasError;
}
