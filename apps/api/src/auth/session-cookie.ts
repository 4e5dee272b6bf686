import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The browser's refresh token: the web app keeps its access token in memory only. */
export const REFRESH_COOKIE = 'casework_refresh';
/** Sent only to the cookie session routes, never with API calls or to the web app's files. */
export const REFRESH_COOKIE_PATH = '/auth/session';

/** The header the web app sends on the cookie routes (see WebClientGuard). */
export const WEB_CLIENT_HEADER = 'X-Requested-With';
export const WEB_CLIENT_VALUE = 'casework-web';

export interface SessionCookieConfig {
  production: boolean;
  /** the session's absolute lifetime; the server refuses the token after it whatever the cookie says */
  maxAgeSeconds: number;
}
export const SESSION_COOKIE_CONFIG = Symbol('SESSION_COOKIE_CONFIG');

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Secure, except for plain http to this machine outside production (`npm start` on
 * http://127.0.0.1:3000: Safari stores no Secure cookie from http, even on localhost). In production,
 * and on any other host or over https, always Secure.
 */
export function isSecureCookie(config: SessionCookieConfig, request: FastifyRequest): boolean {
  if (config.production) return true;
  return request.protocol === 'https' || !LOOPBACK_HOSTS.has(request.hostname.toLowerCase());
}

export function setRefreshCookie(config: SessionCookieConfig, request: FastifyRequest, reply: FastifyReply, refreshToken: string): void {
  reply.setCookie(REFRESH_COOKIE, refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    maxAge: config.maxAgeSeconds,
    secure: isSecureCookie(config, request),
  });
}

export function clearRefreshCookie(config: SessionCookieConfig, request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH, secure: isSecureCookie(config, request) });
}

/**
 * CSRF defence for the cookie routes. SameSite=Strict is the first line: the browser sends no cookie on
 * a request another site starts. This is the second, for what SameSite leaves open (a sibling subdomain
 * is the same site; an old browser): a form cannot set a custom header, and a script of another origin
 * sending one with the cookie needs a CORS preflight that allows credentials, which this service never
 * does (app.factory.ts). On sign-in it also stops a forged form from signing the browser into someone
 * else's account.
 */
@Injectable()
export class WebClientGuard implements CanActivate {
  canActivate(execution: ExecutionContext): boolean {
    const value = execution.switchToHttp().getRequest<FastifyRequest>().headers[WEB_CLIENT_HEADER.toLowerCase()];
    if (value !== WEB_CLIENT_VALUE) throw new ForbiddenException({ code: 'web-client-header-missing' });
    return true;
  }
}
