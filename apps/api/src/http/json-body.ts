import express, { type NextFunction, type Request, type Response } from 'express';
import { inspectJsonBody, inspectQuery } from './hostile-input.js';
import { sendProblem } from './problem.js';

const MAX_BODY = '1mb';
// application/merge-patch+json: a PATCH of a client file is a JSON Merge Patch (RFC 7396) of its sections.
const parse = express.json({ limit: MAX_BODY, type: ['application/json', 'application/merge-patch+json'] });

/**
 * Parses JSON bodies up to 1 MB and answers body errors as problem documents: malformed JSON is a 400,
 * a larger body a 413, an unsupported charset a 415. Then, before any guard, interceptor or pipe sees
 * them, the parsed body and the query are checked once for every route: control characters (NUL and the
 * like anywhere; any of them in a query parameter) and bodies nested more than 32 levels deep are a 400
 * that names the field.
 */
export function jsonBody(request: Request, response: Response, next: NextFunction): void {
  parse(request, response, (error?: { type?: string }) => {
    if (error) {
      const problem =
        error.type === 'entity.too.large'
          ? { status: 413, code: 'payload-too-large' }
          : error.type === 'charset.unsupported' || error.type === 'encoding.unsupported'
            ? { status: 415, code: 'unsupported-media-type' }
            : { status: 400, code: 'malformed-json' };
      sendProblem(request, response, problem);
      return;
    }
    const fields = [...inspectQuery(request.query), ...(request.body === undefined ? [] : inspectJsonBody(request.body))];
    if (fields.length > 0) {
      sendProblem(request, response, { status: 400, code: 'validation-failed', fields });
      return;
    }
    next();
  });
}
