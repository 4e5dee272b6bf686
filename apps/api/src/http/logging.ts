import type { LoggerService } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest, onRequestAbortHookHandler, onResponseHookHandler } from 'fastify';
import { pino, type Logger } from 'pino';

/** What a caller's `X-Request-Id` must look like to be kept as a correlation id (anything else is dropped). */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'casework-api' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A caller's well-formed `X-Request-Id`, if any: a correlation id for its own tracing, never our request id. */
export function correlationIdOf(request: IncomingMessage): string | undefined {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && CORRELATION_ID.test(incoming) ? incoming : undefined;
}

/**
 * One JSON line per request with the server's own request id (Fastify's `genReqId`, see app.factory.ts):
 * always a new UUID, sent back as `X-Request-Id` and the one audit events and problem documents carry.
 * A caller's well-formed `X-Request-Id` is not trusted as a request id (it could collide with, or pose
 * as, another request in the audit trail); it is logged beside ours as `correlationId` and echoed as
 * `X-Correlation-Id`. Only method, path and status are logged: no other headers, no query strings, no
 * bodies, so no personal data. `tag` runs first of all (app.factory.ts), so every answer carries the
 * ids: 404s, parser errors, router errors and 429s included.
 */
export function requestLogging(logger: Logger): {
  tag(request: FastifyRequest, reply: FastifyReply): void;
  onResponse: onResponseHookHandler;
  onRequestAbort: onRequestAbortHookHandler;
} {
  const line = (request: FastifyRequest) => {
    const correlationId = correlationIdOf(request.raw);
    return { req: { id: request.id, method: request.method, path: request.url.split('?')[0] }, ...(correlationId ? { correlationId } : {}) };
  };
  return {
    tag(request, reply) {
      reply.header('X-Request-Id', request.id);
      const correlationId = correlationIdOf(request.raw);
      if (correlationId) reply.header('X-Correlation-Id', correlationId);
    },
    onResponse(request, reply, done) {
      const entry = { ...line(request), res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime) };
      logger[reply.statusCode >= 500 ? 'error' : 'info'](entry, 'request completed');
      done();
    },
    onRequestAbort(request, done) {
      logger.error(line(request), 'request aborted');
      done();
    },
  };
}

/** Nest's own log lines, as JSON through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, typeof message === 'string' ? message : JSON.stringify(message));
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string) {
    this.write('fatal', message, context);
  }
  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string) {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, String(message));
  }
}
