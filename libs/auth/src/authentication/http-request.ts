import type { IncomingHttpHeaders } from 'node:http';

/** What the strategies read of a request, whichever HTTP adapter carries it (Fastify's request has these). */
export interface HttpRequest {
  headers: IncomingHttpHeaders;
  ip?: string;
  id?: unknown;
}

/** One request header as a string (Node joins repeated headers; `set-cookie` is the only list). */
export function headerOf(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
