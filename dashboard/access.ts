// Who may see the live dashboard. It shows function names, images, host metrics and stored
// counts, so it sits behind the gateway's basic auth (the credentials of /system/*) in secure
// mode, and by default whenever the gateway listens beyond loopback, where anyone on the network
// could read it. On loopback, without secure mode, it stays open for the one-machine start.
import type { FastifyInstance } from 'fastify';
import { isLoopbackHost } from '../deploy/local/address.ts';
import { CdnfaasError } from '../lib/errors.ts';
import { checkBasicAuth, type BasicAuthCredentials } from '../runtime/gateway/credentials.ts';
import { sendError } from '../runtime/gateway/http-errors.ts';

export const dashboardAuthSettings = ['auto', 'on', 'off'] as const;
export type DashboardAuthSetting = (typeof dashboardAuthSettings)[number];

/** Whether the dashboard asks for credentials; `off` is refused in secure mode. Pure. */
export function dashboardNeedsAuth(input: {
  secure: boolean;
  host: string;
  setting: DashboardAuthSetting;
}): boolean {
  if (!dashboardAuthSettings.includes(input.setting)) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `--dashboard-auth ${String(input.setting)} is not one of ${dashboardAuthSettings.join(', ')}`,
      {
        hint: 'use auto (the default), on or off',
      },
    );
  }
  if (input.setting === 'off' && input.secure) {
    throw new CdnfaasError('INVALID_INPUT', '--dashboard-auth off is refused in secure mode', {
      hint: 'secure mode keeps the dashboard behind the gateway basic auth; drop --dashboard-auth off or --secure',
    });
  }
  if (input.setting !== 'auto') return input.setting === 'on';
  return input.secure || !isLoopbackHost(input.host.replace(/^\[(.*)\]$/, '$1'));
}

/**
 * Answers 401 (with a Basic challenge, so a browser asks for the user and password) to every
 * route under `prefix` without the gateway's credentials: the page, its script and styles, the
 * view and the event stream. Matched on the route fastify resolved, so no spelling of the path
 * slips past.
 */
export function protectDashboard(
  app: FastifyInstance,
  credentials: BasicAuthCredentials,
  prefix = '/ui',
): void {
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || (route !== prefix && !route.startsWith(`${prefix}/`))) return;
    if (checkBasicAuth(request.headers.authorization, credentials)) return;
    reply.header('www-authenticate', 'Basic realm="cdnfaas dashboard", charset="UTF-8"');
    return sendError(
      reply,
      new CdnfaasError('UNAUTHORIZED', 'the dashboard needs the gateway credentials', {
        hint: 'npx cdnfaas credentials shows the user and the password file',
      }),
    );
  });
}
