import express, { type NextFunction, type Request, type Response } from 'express';
import { sendProblem } from './problem.js';

const MAX_BODY = '1mb';
const parse = express.json({ limit: MAX_BODY });

/**
 * Parses JSON bodies up to 1 MB and answers body errors as problem documents: malformed JSON is a 400,
 * a larger body a 413, an unsupported charset a 415.
 */
export function jsonBody(request: Request, response: Response, next: NextFunction): void {
  parse(request, response, (error?: { type?: string }) => {
    if (!error) return next();
    const problem =
      error.type === 'entity.too.large'
        ? { status: 413, code: 'payload-too-large' }
        : error.type === 'charset.unsupported' || error.type === 'encoding.unsupported'
          ? { status: 415, code: 'unsupported-media-type' }
          : { status: 400, code: 'malformed-json' };
    sendProblem(request, response, problem);
  });
}
