import etag from 'etag';
import type { onSendHookHandler } from 'fastify';
import isFresh from 'fresh';

/** Text types Express's res.type()/res.set() gave a charset (mime-types' rule); Fastify sends them as set. */
const TEXT_WITHOUT_CHARSET = /^(text\/[^;]+|application\/javascript)\s*$/i;

/**
 * What Express's res.send() did for every answer it wrote, and clients and browser caches may count on:
 * `charset=utf-8` on text types; a weak ETag of the body when the route set none (the same `etag`
 * module, so the same values); and a 304 without a body to a GET or HEAD whose If-None-Match (or
 * If-Modified-Since) still holds. Streams (document downloads) get none of it, as on Express, where
 * they were piped rather than sent.
 */
export const asExpressSent: onSendHookHandler = (request, reply, payload, done) => {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
  const type = reply.getHeader('content-type');
  if (typeof type === 'string' && TEXT_WITHOUT_CHARSET.test(type)) reply.header('Content-Type', `${type.trim()}; charset=utf-8`);
  if (!reply.hasHeader('etag')) reply.header('ETag', etag(payload, { weak: true }));
  const status = reply.statusCode;
  const fresh =
    (request.method === 'GET' || request.method === 'HEAD') &&
    ((status >= 200 && status < 300) || status === 304) &&
    isFresh(request.headers, { etag: reply.getHeader('etag'), 'last-modified': reply.getHeader('last-modified') });
  if (!fresh) return done(null, payload);
  reply.code(304).removeHeader('content-type').removeHeader('content-length').removeHeader('transfer-encoding');
  done(null, null);
};
