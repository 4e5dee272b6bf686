import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

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
 * One JSON line per request with the server's own request id: always a new UUID, sent back as
 * `X-Request-Id` and the one audit events and problem documents carry. A caller's well-formed
 * `X-Request-Id` is not trusted as a request id (it could collide with, or pose as, another request
 * in the audit trail); it is logged beside ours as `correlationId` and echoed as `X-Correlation-Id`.
 * Only method, path and status are logged: no other headers, no query strings, no bodies, so no
 * personal data.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const id = randomUUID();
      response.setHeader('X-Request-Id', id);
      const correlationId = correlationIdOf(request);
      if (correlationId) response.setHeader('X-Correlation-Id', correlationId);
      return id;
    },
    customProps: (request: IncomingMessage) => {
      const correlationId = correlationIdOf(request);
      return correlationId ? { correlationId } : {};
    },
    serializers: {
      req: (request: { id: unknown; method: string; url: string }) => ({ id: request.id, method: request.method, path: request.url.split('?')[0] }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      err: (error: { type?: string; name?: string }) => ({ type: error.type ?? error.name }),
    },
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
  });
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
