import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { CdnfaasError, isCdnfaasError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';

/** Maps anything thrown in a route to the one error body shape; unknown faults become INTERNAL. */
export function toCdnfaasError(error: unknown): CdnfaasError {
  if (isCdnfaasError(error)) return error;
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CdnfaasError('PAYLOAD_TOO_LARGE', 'the request body exceeds the limit', {
        hint: 'send a smaller body',
        cause: error,
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_VALIDATION':
      return new CdnfaasError('INVALID_INPUT', fastifyError.message ?? 'malformed request', { cause: error });
    default:
      return new CdnfaasError('INTERNAL', 'an unexpected error occurred in the gateway', { cause: error });
  }
}

export function sendError(reply: FastifyReply, error: CdnfaasError): FastifyReply {
  return reply.code(error.status).type('application/json; charset=utf-8').send(error.toJSON());
}

/** One error handler and one not-found handler for the whole gateway. */
export function installErrorHandling(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error, request, reply) => {
    const mapped = toCdnfaasError(error);
    if (mapped.code === 'INTERNAL') {
      logger.error({ err: error, method: request.method, url: request.url }, 'request failed');
    } else {
      logger.info(
        { code: mapped.code, method: request.method, url: request.url, reason: mapped.message },
        'request rejected',
      );
    }
    return sendError(reply, mapped);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new CdnfaasError('NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`, {
        hint: 'see the OpenFaaS REST API: /system/functions, /function/<name>, /async-function/<name>, /system/logs',
      }),
    ),
  );
}
