import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from './problem.js';

/** Where the browser app lives; Vite builds it with `base: '/app/'`. No API route starts with it. */
export const WEB_APP_PREFIX = '/app/';
/** Vite's content-hashed files: a new build gives them new names, so they never change under a name. */
const HASHED_ASSETS = 'assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the web app of `root` (dist/web) under /app/, outside the Nest router: public on purpose,
 * like /docs, since the files hold no data; the API behind them asks for a token. A path under /app/
 * that is not a file is a route of the app (/app/clients/123) and answers index.html, which the
 * browser must revalidate (no-cache) so a new build is picked up at once. `GET /` leads to the app.
 * Without a built app (index.html missing, looked for on each request so a later build needs no
 * restart) /app/ answers a 404 problem saying how to build it.
 */
export async function serveWebApp(fastify: FastifyInstance, root: string): Promise<void> {
  const webRoot = resolve(root);
  // Only reply.sendFile (ranges, ETag, Last-Modified, content types); the routes below decide what to send.
  await fastify.register(fastifyStatic, { serve: false });

  fastify.get('/', (_request, reply) => reply.redirect(WEB_APP_PREFIX, 302));
  const serve = async (request: FastifyRequest<{ Params: { '*'?: string } }>, reply: FastifyReply) => {
    if (!(await isFile(join(webRoot, 'index.html')))) return sendProblem(request, reply, { status: HttpStatus.NOT_FOUND, code: 'web-app-not-built' });
    const wanted = request.params['*'] ?? '';
    if (isPlainRelativePath(wanted) && (await isFile(join(webRoot, wanted)))) {
      reply.header('Cache-Control', wanted.startsWith(HASHED_ASSETS) ? IMMUTABLE : 'no-cache');
      return reply.sendFile(wanted, webRoot, { cacheControl: false });
    }
    // A missing script or style is an error to see, not the app's page served as JavaScript.
    if (wanted.startsWith(HASHED_ASSETS)) return sendProblem(request, reply, { status: HttpStatus.NOT_FOUND, code: 'not-found' });
    reply.header('Cache-Control', 'no-cache');
    return reply.sendFile('index.html', webRoot, { cacheControl: false });
  };
  // The router drops a trailing slash (ignoreTrailingSlash), so /app/ is /app, which `/app/*` does not match.
  fastify.get(WEB_APP_PREFIX.slice(0, -1), serve);
  fastify.get(`${WEB_APP_PREFIX}*`, serve);
}

/** Segments only, none empty, `.` or `..`: nothing that could leave the root or that sendFile refuses. */
function isPlainRelativePath(path: string): boolean {
  return (
    path !== '' && !path.includes('\\') && !path.includes('\0') && path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..')
  );
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
