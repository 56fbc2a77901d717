import type { Logger } from '../../lib/logger.ts';
import type { SecretStore } from '../provider/secret-store.ts';
import type { FunctionProvider } from '../provider/types.ts';
import type { AsyncInvoker } from './async-invoker.ts';
import type { BasicAuthCredentials } from './credentials.ts';
import type { ForwardLimits } from './forward-call.ts';
import type { GatewayInfo } from './info.ts';
import type { GatewayMetrics } from './metrics.ts';

/** Everything the route handlers use, built once in the composition root (app.ts). */
export interface GatewayDeps {
  provider: FunctionProvider;
  secrets: SecretStore;
  metrics: GatewayMetrics;
  logger: Logger;
  credentials: BasicAuthCredentials;
  info: GatewayInfo;
  asyncInvoker: AsyncInvoker;
  limits: GatewayLimits;
}

export interface GatewayLimits extends ForwardLimits {
  /** Largest body of a /system/* request, bytes. */
  systemBodyBytes: number;
}

export const defaultLimits: GatewayLimits = {
  systemBodyBytes: 1024 * 1024,
  maxBodyBytes: 32 * 1024 * 1024,
  bufferBodyBytes: 256 * 1024,
  readyTimeoutMs: 60_000,
  upstreamTimeoutMs: 300_000,
};
