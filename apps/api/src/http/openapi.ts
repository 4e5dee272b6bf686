import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'kboNumber', description: 'Path of the field, e.g. `certifications[0].expiresOn`' })
  field: string;
  @ApiProperty({ example: 'kbo-checksum', description: 'Stable code of the rule that failed' })
  code: string;
  @ApiProperty({ example: 'is not a valid enterprise number: the check digits do not match', description: 'In the language chosen by Accept-Language' })
  message: string;
}

/** RFC 9457 problem details, the body of every error response. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'urn:casework:problem:validation-failed' })
  type: string;
  @ApiProperty({ example: 'Some fields are not valid. Correct them and send the request again.' })
  title: string;
  @ApiProperty({ example: 400 })
  status: number;
  @ApiProperty({ example: 'validation-failed', description: 'Stable machine-readable code (the last part of `type`)' })
  code: string;
  @ApiProperty({ example: '/organisations' })
  instance: string;
  @ApiPropertyOptional({ example: '4f7c2d1e-8d0b-4b8e-9a51-3d3f4b0c9e21', description: 'Also in the X-Request-Id response header' })
  requestId?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: malformed JSON, an unknown property, a malformed header or query, or fields that break a rule (listed in `errors`)',
  401: 'Not signed in, or the token is expired, revoked or belongs to a deactivated account',
  403: 'Signed in, but your roles do not allow this',
  404: 'Does not exist, or is not visible to you (the same answer either way)',
  409: 'Conflicts with existing data (e.g. a duplicate enterprise number or email)',
  412: 'If-Match names an older version than the one stored',
  428: 'If-Match is missing: send the ETag of the version you read',
  413: 'The body is larger than 1 MB',
  415: 'The body is not JSON in UTF-8 (or, for uploads, not multipart/form-data)',
  422: 'The Idempotency-Key was used before with another body',
  429: 'Too many attempts; wait the number of seconds in Retry-After',
  500: 'Something failed on our side; nothing was changed',
  503: 'The database is not reachable or too busy; try again in a moment (nothing was changed)',
};

function problemAnswer(status: number) {
  return {
    description: DESCRIPTIONS[status] ?? 'Error',
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
  };
}

/** Documents the listed error statuses as problem+json. 400, 401 and 413 apply to nearly every route. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto, FieldErrorDto),
    ...[...new Set(statuses)].map((status) => ApiResponse({ status, ...problemAnswer(status) })),
  );
}

const COUNT = { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 };
const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { description: 'Requests allowed in the current window (the tighter of the per-address and per-user limits)', schema: COUNT },
  'RateLimit-Remaining': { description: 'Requests left in the current window', schema: COUNT },
  'RateLimit-Reset': { description: 'Seconds until the window starts afresh', schema: COUNT },
  'Access-Control-Allow-Origin': {
    description: 'Only when the service is configured with CORS_ORIGINS and the request comes from one of them; the web app is served from the same origin',
    schema: { type: 'string', maxLength: 2048 },
  },
};
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: COUNT } };

/**
 * The answers the HTTP edge gives on every route, said once here instead of on every operation, so a
 * client generated from the document (the web app's) is told of each answer it can receive (the e2e
 * tests hold every answer to the document: test/support/openapi-contract.ts):
 * - every route: 500 and 503 (the database away or its pool exhausted; http/problem.ts);
 * - a GET: 304 to a matching If-None-Match (http/send.ts);
 * - every limited route (not health or docs): 400 (a malformed header such as X-Purpose, or query) and, where a body can come, 413 and
 *   415 (http/json-body.ts);
 * - a limited route: 429 with Retry-After, and the RateLimit-* headers on its 2xx and 4xx
 *   (http/rate-limit.ts and the access guard). Headers in OpenAPI are optional unless marked required.
 */
export function documentCommonAnswers(document: { paths: Record<string, Record<string, any>> }, unlimited: RegExp): void {
  for (const [path, operations] of Object.entries(document.paths)) {
    const limited = !unlimited.test(path);
    for (const [method, operation] of Object.entries(operations)) {
      if (!operation?.responses) continue;
      const responses: Record<string, any> = operation.responses;
      const add = (status: number, answer: object = problemAnswer(status)) => (responses[status] ??= answer);
      if (method === 'get') add(304, { description: 'Not modified: the If-None-Match names the current version' });
      // health and the documentation read no header, query or body
      if (limited) add(400);
      if (['post', 'put', 'patch', 'delete'].includes(method)) [413, 415].forEach((status) => add(status));
      if (limited) add(429);
      [500, 503].forEach((status) => add(status));
      if (!limited) continue;
      for (const [status, response] of Object.entries<any>(responses)) {
        if (/^[24]/.test(status)) response.headers = { ...RATE_LIMIT_HEADERS, ...(status === '429' ? RETRY_AFTER : {}), ...response.headers };
      }
    }
  }
}
