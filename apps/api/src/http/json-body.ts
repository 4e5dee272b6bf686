import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { inspectJsonBody, inspectQuery } from './hostile-input.js';
import { sendProblem } from './problem.js';

/** 1 MB, before and after decompression. */
export const MAX_BODY_BYTES = 1024 * 1024;
// application/merge-patch+json: a PATCH of a client file is a JSON Merge Patch (RFC 7396) of its sections.
const JSON_TYPES = ['application/json', 'application/merge-patch+json'];

const DECOMPRESS: Record<string, (body: Buffer, options: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/**
 * Parses JSON bodies up to 1 MB and answers body errors as problem documents: malformed JSON is a 400,
 * a larger body a 413 (Fastify's body limit, mapped in toProblem), an unsupported charset or content
 * encoding a 415. Bodies of any other type are not read (multipart is read by the upload interceptor
 * of the one route that takes it), as on Express, where only these types were parsed. Then, before any
 * guard, interceptor or pipe sees them, the parsed body and the query are checked once for every route:
 * control characters (NUL and the like anywhere; any of them in a query parameter) and bodies nested
 * more than 32 levels deep are a 400 that names the field.
 */
export function registerJsonBody(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPES, { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (request, body, done) => {
    try {
      done(null, parseJson(request, body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  fastify.addHook('preValidation', inspectInput);
}

const problem = (status: number, code: string) => new HttpException({ code }, status);

/** What body-parser's json() did: UTF-* charsets, gzip/deflate/br, `{}` for an empty body, only objects and arrays. */
function parseJson(request: FastifyRequest, raw: Buffer): unknown {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  const decoder = decoderFor(charset);
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  let body = raw;
  if (encoding !== 'identity') {
    const decompress = DECOMPRESS[encoding];
    if (!decompress) throw problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type');
    try {
      body = decompress(raw, { maxOutputLength: MAX_BODY_BYTES });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw problem(HttpStatus.PAYLOAD_TOO_LARGE, 'payload-too-large');
      throw problem(HttpStatus.BAD_REQUEST, 'malformed-json');
    }
  }
  const text = decoder.decode(body);
  if (text.length === 0) return {};
  if (!/^[ \t\n\r]*[[{]/.test(text)) throw problem(HttpStatus.BAD_REQUEST, 'malformed-json');
  try {
    return JSON.parse(text);
  } catch {
    throw problem(HttpStatus.BAD_REQUEST, 'malformed-json');
  }
}

function decoderFor(charset: string) {
  try {
    if (charset.startsWith('utf-')) return new TextDecoder(charset);
  } catch {
    // not a charset TextDecoder knows
  }
  throw problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type');
}

const inspectInput: preValidationAsyncHookHandler = async (request, reply) => {
  const fields = [...inspectQuery(request.query), ...(request.body === undefined ? [] : inspectJsonBody(request.body))];
  if (fields.length > 0) {
    sendProblem(request, reply, { status: 400, code: 'validation-failed', fields });
    return reply;
  }
};
