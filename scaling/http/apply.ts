/**
 * Applies alerts to the provider: the one path both AlertManager's webhook (POST /system/alert)
 * and the gateway's own rule evaluator take, so both scale functions the same way.
 */
import { CdnfaasError, isCdnfaasError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { FunctionProvider } from '../../runtime/provider/types.ts';
import { planAlertActions, type AlertAction, type AlertStatus } from './alert-scaling.ts';

export interface AlertInput {
  status: AlertStatus;
  labels: { function_name: string };
}

/** Where the alert came from, for the logs: AlertManager or the gateway's own rule. */
export type AlertSource = 'alertmanager' | 'gateway-rule';

export interface AppliedAlerts {
  actions: AlertAction[];
  /** One line per function whose scale call failed, as OpenFaaS lists them in its 500 answer. */
  failures: string[];
}

export async function applyAlerts(
  provider: Pick<FunctionProvider, 'get' | 'scale'>,
  alerts: AlertInput[],
  logger: Logger,
  source: AlertSource,
): Promise<AppliedAlerts> {
  const failures: string[] = [];
  let actions: AlertAction[];
  try {
    actions = planAlertActions(alerts, (name) => provider.get(name));
  } catch (error) {
    // A malformed scaling label of one function: name it rather than scale anything half-way.
    if (isCdnfaasError(error)) return { actions: [], failures: [error.message] };
    throw error;
  }
  for (const action of actions) {
    if (action.action === 'scale') {
      try {
        await provider.scale(action.function, action.to);
        logger.info(
          { function: action.function, from: action.from, to: action.to, alert: action.status, source },
          'scaled on alert',
        );
      } catch (error) {
        const message = error instanceof CdnfaasError ? error.message : String(error);
        failures.push(`${action.function}: ${message}`);
        logger.warn({ function: action.function, err: error, source }, 'scale on alert failed');
      }
    } else if (action.action === 'ignored') {
      logger.debug({ function: action.function, reason: action.reason, source }, 'alert ignored');
    }
  }
  return { actions, failures };
}
