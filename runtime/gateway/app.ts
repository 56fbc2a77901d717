/**
 * The composition root of the gateway: every route of the OpenFaaS REST API wired to its handler,
 * basic auth on /system/*, one error shape. Building is separate from listening, so tests drive
 * the handlers with inject() and load tests with real sockets.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { CdnfaasError } from '../../lib/errors.ts';
import { checkBasicAuth } from './credentials.ts';
import type { GatewayDeps } from './deps.ts';
import { handleClientError } from './client-error.ts';
import { installErrorHandling, sendError } from './http-errors.ts';
import { makeAlertHandler } from './routes/alert.ts';
import { makeAsyncHandler } from './routes/async.ts';
import { makeDeleteHandler } from './routes/delete.ts';
import { makeDeployHandler } from './routes/deploy.ts';
import { makeGetHandler } from './routes/get.ts';
import { makeHealthHandler } from './routes/health.ts';
import { makeInfoHandler } from './routes/info.ts';
import { makeMetricsHandler } from './routes/metrics.ts';
import { makeNamespaceGetHandler, makeNamespaceMutateHandler } from './routes/namespace.ts';
import { makeNamespacesHandler } from './routes/namespaces.ts';
import { makeInvokeHandler, makeInvoker } from './routes/invoke.ts';
import { makeListHandler } from './routes/list.ts';
import { makeLogsHandler } from './routes/logs.ts';
import { makeScaleHandler } from './routes/scale.ts';
import { makeSecretsHandler } from './routes/secrets.ts';
import { makeUpdateHandler } from './routes/update.ts';

const allMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;

export function buildGateway(deps: GatewayDeps): FastifyInstance {
  const invoke = makeInvoker(deps);
  const app = Fastify({
    // Function calls, the hot path, go from the HTTP server straight to the invoker; everything
    // else (and inject() in tests, which bypasses the server) goes through fastify's router.
    serverFactory: (handler) => {
      const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        if (req.url?.startsWith('/function/')) void invoke(req, res);
        else handler(req, res);
      });
      server.keepAliveTimeout = 65_000;
      return server;
    },
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.limits.systemBodyBytes,
    // Longer than the undici default of 4 s on the callers' side, so the caller closes idle sockets first.
    keepAliveTimeout: 65_000,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 500 },
    clientErrorHandler: handleClientError,
  });
  installErrorHandling(app, deps.logger);

  // Open endpoints, as in OpenFaaS.
  app.get('/healthz', makeHealthHandler());
  app.get('/metrics', makeMetricsHandler(deps));

  app.register(async (functions) => {
    // Function bodies are not parsed: the invoke handler streams or buffers them itself.
    functions.removeAllContentTypeParsers();
    functions.addContentTypeParser('*', (_request, _payload, done) => done(null));
    // An empty Content-Type means none; fastify would refuse it, the OpenFaaS gateway forwards it.
    functions.addHook('onRequest', async (request) => {
      if (request.headers['content-type'] === '') delete request.headers['content-type'];
    });
    const invokeRoute = makeInvokeHandler(invoke);
    functions.route({ method: [...allMethods], url: '/function/:name', handler: invokeRoute });
    functions.route({ method: [...allMethods], url: '/function/:name/*', handler: invokeRoute });
    const invokeAsync = makeAsyncHandler(deps);
    functions.route({ method: [...allMethods], url: '/async-function/:name', handler: invokeAsync });
    functions.route({ method: [...allMethods], url: '/async-function/:name/*', handler: invokeAsync });
  });

  app.register(async (system) => {
    system.addHook('onRequest', async (request, reply) => {
      if (checkBasicAuth(request.headers.authorization, deps.credentials)) return;
      reply.header('www-authenticate', 'Basic realm="Restricted"');
      return sendError(
        reply,
        new CdnfaasError('UNAUTHORIZED', 'invalid credentials', {
          hint: 'log in with: npx cdnfaas credentials, then faas-cli login --password-stdin',
        }),
      );
    });
    // Go's handlers decode JSON whatever the content type says; so do these.
    system.removeAllContentTypeParsers();
    system.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: deps.limits.systemBodyBytes },
      (_request, body, done) => done(null, body),
    );

    system.get('/system/functions', makeListHandler(deps));
    system.post('/system/functions', makeDeployHandler(deps));
    system.put('/system/functions', makeUpdateHandler(deps));
    system.delete('/system/functions', makeDeleteHandler(deps));
    system.get('/system/function/:name', makeGetHandler(deps));
    system.post('/system/scale-function/:name', makeScaleHandler(deps));
    // AlertManager's webhook, with the same basic auth as every /system/* route (alertmanager.yml).
    system.post('/system/alert', makeAlertHandler(deps));
    const followers = new Set<() => void>();
    // Followed log streams never end on their own; end them so that closing does not wait on them.
    system.addHook('preClose', async () => {
      for (const end of [...followers]) end();
    });
    system.get('/system/logs', makeLogsHandler(deps, followers));
    system.get('/system/info', makeInfoHandler(deps));
    system.get('/system/namespaces', makeNamespacesHandler());
    system.get('/system/namespace/:name', makeNamespaceGetHandler());
    system.route({
      method: ['POST', 'PUT', 'DELETE'],
      url: '/system/namespace/:name',
      handler: makeNamespaceMutateHandler(),
    });
    system.route({
      method: ['GET', 'POST', 'PUT', 'DELETE'],
      url: '/system/secrets',
      handler: makeSecretsHandler(deps),
    });
  });

  return app;
}
