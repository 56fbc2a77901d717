/**
 * The gateway's own evaluation of APIHighInvocationRate, for when Prometheus and AlertManager
 * are not there: once a second it reads each function's successful invocations and replicas
 * from the gateway's own metrics, runs the pure rule (rate-rule.ts) and applies its
 * notifications through the same path as AlertManager's webhook.
 *
 * Modes: `gateway` always evaluates; `auto` evaluates only while the probe says Prometheus and
 * AlertManager are not both answering (they fire the same rule and post to /system/alert, and
 * two evaluators would step each function twice); `off` never evaluates.
 */
import type { Logger } from '../../lib/logger.ts';
import type { FunctionProvider } from '../../runtime/provider/types.ts';
import { applyAlerts } from './apply.ts';
import {
  evaluateRateRule,
  initialRateRuleState,
  openfaasRateRule,
  type RateRuleSettings,
  type RateRuleState,
} from './rate-rule.ts';

export type AlertingMode = 'gateway' | 'auto' | 'off';

export interface GatewayRuleOptions {
  mode: AlertingMode;
  provider: Pick<FunctionProvider, 'list' | 'get' | 'scale'>;
  /** Successful (HTTP 200) invocations so far per function_name (`name.namespace`). */
  successCounts(): Promise<Map<string, number>>;
  logger: Logger;
  settings?: Partial<RateRuleSettings>;
  intervalMs?: number;
  /** auto mode: true while Prometheus and AlertManager both answer. */
  externalAlerting?: () => Promise<boolean>;
  /** auto mode: how often the probe runs. */
  probeEveryMs?: number;
  now?: () => number;
}

export class GatewayRateRule {
  readonly #options: GatewayRuleOptions;
  readonly #settings: RateRuleSettings;
  readonly #states = new Map<string, RateRuleState>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #stopped = false;
  #external = false;
  #probedAt = Number.NEGATIVE_INFINITY;

  constructor(options: GatewayRuleOptions) {
    this.#options = options;
    this.#settings = { ...openfaasRateRule, ...options.settings };
  }

  /** True while this gateway evaluates the rule itself (false: AlertManager drives /system/alert). */
  get evaluating(): boolean {
    return this.#options.mode === 'gateway' || (this.#options.mode === 'auto' && !this.#external);
  }

  start(): void {
    if (this.#options.mode === 'off') return;
    const tick = (): void => {
      this.#ticking = this.tick()
        .catch((error: unknown) =>
          this.#options.logger.warn({ err: error }, 'gateway rule evaluation failed'),
        )
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#options.intervalMs ?? 1_000);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#ticking;
  }

  async tick(): Promise<void> {
    const now = (this.#options.now ?? Date.now)();
    if (this.#options.mode === 'auto' && now - this.#probedAt >= (this.#options.probeEveryMs ?? 10_000)) {
      this.#probedAt = now;
      const external = (await this.#options.externalAlerting?.()) ?? false;
      if (external !== this.#external)
        this.#options.logger.info(
          { evaluator: external ? 'prometheus+alertmanager' : 'gateway' },
          external
            ? 'Prometheus and AlertManager answer: they evaluate APIHighInvocationRate'
            : 'Prometheus or AlertManager is not answering: the gateway evaluates APIHighInvocationRate itself',
        );
      this.#external = external;
      // Stale samples would make a rate across the gap; start afresh on every hand-over.
      if (external) this.#states.clear();
    }
    if (!this.evaluating) return;
    const counts = await this.#options.successCounts();
    const seen = new Set<string>();
    for (const fn of this.#options.provider.list()) {
      const key = `${fn.name}.${fn.namespace}`;
      seen.add(key);
      const result = evaluateRateRule(
        this.#states.get(key) ?? initialRateRuleState,
        { at: now, count: counts.get(key) ?? 0, replicas: fn.replicas },
        this.#settings,
      );
      this.#states.set(key, result.state);
      if (result.notify) {
        this.#options.logger.info(
          {
            function: fn.name,
            alert: result.notify,
            perReplicaPerSecond: Number(result.perReplica.toFixed(2)),
          },
          'APIHighInvocationRate',
        );
        await applyAlerts(
          this.#options.provider,
          [{ status: result.notify, labels: { function_name: key } }],
          this.#options.logger,
          'gateway-rule',
        );
      }
    }
    for (const key of this.#states.keys()) if (!seen.has(key)) this.#states.delete(key);
  }
}
