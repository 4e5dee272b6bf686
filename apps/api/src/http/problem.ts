import { DomainError, type FieldProblem, type RequestContext } from '@app/kernel';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { DEFAULT_LOCALE, SUPPORTED_LOCALES, isLocale, translate, type Locale } from './i18n/messages.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An error on its way to becoming an RFC 9457 problem document. */
export interface Problem {
  status: number;
  code: string;
  params?: Record<string, string | number>;
  fields?: FieldProblem[];
  headers?: Record<string, string>;
}

const DOMAIN_STATUS = {
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  invalid: HttpStatus.BAD_REQUEST,
  'precondition-failed': HttpStatus.PRECONDITION_FAILED,
} as const;

const STATUS_CODE: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  503: 'service-unavailable',
};

/** Maps anything thrown while handling a request to a Problem; unknown errors become a bare 500. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return { status: DOMAIN_STATUS[error.kind], code: error.code, params: error.params, fields: error.fields };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse() as { code?: string; retryAfterSeconds?: number; rateLimit?: number; fields?: FieldProblem[] } | string;
    const code = typeof response === 'object' && response.code ? response.code : (STATUS_CODE[status] ?? (status >= 500 ? 'internal-error' : 'http-error'));
    const problem: Problem = { status, code };
    if (typeof response === 'object' && Array.isArray(response.fields)) problem.fields = response.fields;
    if (typeof response === 'object' && response.retryAfterSeconds !== undefined) {
      problem.params = { retryAfterSeconds: response.retryAfterSeconds };
      problem.headers = { 'Retry-After': String(response.retryAfterSeconds) };
      if (response.rateLimit !== undefined) {
        Object.assign(problem.headers, {
          'RateLimit-Limit': String(response.rateLimit),
          'RateLimit-Remaining': '0',
          'RateLimit-Reset': String(response.retryAfterSeconds),
        });
      }
    }
    return problem;
  }
  if (isDatabaseUnavailable(error)) {
    return { status: HttpStatus.SERVICE_UNAVAILABLE, code: 'service-unavailable', headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) } };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'internal-error' };
}

/** A restart of PostgreSQL takes a few seconds; clients retry after this. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * PostgreSQL SQLSTATEs that mean "not now" rather than "wrong": connection exceptions (class 08),
 * too many connections, the server shutting down or starting, and a statement cancelled by the
 * statement timeout. Nothing was committed in any of these cases, so the client may simply retry.
 */
const UNAVAILABLE_STATES = /^(08...|53300|57P01|57P02|57P03|57014)$/;
/** The pg driver's and pool's own words when the server went away or no connection was free in time. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|ECONNRESET|Client has encountered a connection error|not queryable|Connection ended|terminating connection/i;

/** TypeORM's words for a transaction whose connection was lost under it (it releases the runner). */
const RELEASED_RUNNER = /^QueryRunner(Provider)?AlreadyReleasedError$/;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { name?: unknown; code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.name === 'string' && RELEASED_RUNNER.test(e.name)) return true;
    if (typeof e.code === 'string' && (UNAVAILABLE_STATES.test(e.code) || e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET')) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/**
 * The language to answer in: the one the user chose in their profile; else the best of the request's
 * `Accept-Language` (a browser sends the user's); else the organisation's (Dutch for a Flemish one);
 * else Dutch.
 */
export function negotiateLocale(request: Pick<FastifyRequest, 'headers'> & { user?: Pick<RequestContext, 'languages'> }): Locale {
  const languages = request.user?.languages;
  if (isLocale(languages?.user)) return languages.user;
  if (request.headers?.['accept-language']) {
    // negotiator is what Express's acceptsLanguages() asked: the same q-values and prefix matches (nl-BE -> nl).
    const [best] = new Negotiator(request).languages([...SUPPORTED_LOCALES]);
    if (isLocale(best)) return best;
  }
  return isLocale(languages?.organisation) ? languages.organisation : DEFAULT_LOCALE;
}

/** Writes the problem document. Nothing from the exception itself (messages, stacks, SQL) reaches the body. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): void {
  const locale = negotiateLocale(request);
  const body = {
    type: `urn:casework:problem:${problem.code}`,
    title: translate(locale, problem.code, problem.params) ?? translate(locale, 'http-error'),
    status: problem.status,
    code: problem.code,
    instance: request.originalUrl.split('?')[0],
    requestId: String(request.id),
    ...(problem.fields && problem.fields.length > 0
      ? {
          errors: problem.fields.map((f) => ({
            field: f.field,
            code: f.code,
            message: translate(locale, `field.${f.code}`, f.params) ?? translate(locale, 'field.invalid'),
          })),
        }
      : {}),
  };
  void reply
    .status(problem.status)
    .headers({ ...problem.headers, 'Content-Language': locale, 'Content-Type': PROBLEM_CONTENT_TYPE })
    .send(JSON.stringify(body));
}
