import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Problem = Schemas['ProblemDetailsDto'];
export type Purpose = NonNullable<Schemas['ClientViewDto']['purpose']>;

/** The header the API wants on the cookie endpoints, so another site's form cannot call them. */
const WEB_HEADER = { 'X-Requested-With': 'casework-web' } as const;

/**
 * The access token lives in this module's memory only (never in localStorage, nor in a cookie a
 * script can read); the refresh token is an HttpOnly cookie the browser sends to /auth/session only.
 * After a reload the session is restored through that cookie.
 */
let accessToken: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let onSignedOut: () => void = () => undefined;
let refreshing: Promise<boolean> | null = null;

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });

/** The user a token is for (its `sub`); the token's signature is the server's business, not the page's. */
function subjectOf(token: string): string | null {
  try {
    return (JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string }).sub ?? null;
  } catch {
    return null;
  }
}
let userId: string | null = null;
const RETRY_RENEWAL_MS = 15_000;

function keep(token: { accessToken: string; expiresIn: number }) {
  const user = subjectOf(token.accessToken);
  if (userId && user !== userId) {
    // Another tab signed in as someone else, and the cookie is theirs now: nothing of this user's page
    // may go on under the other's token. Start over from the cookie.
    forget();
    window.location.reload();
    return;
  }
  userId = user;
  accessToken = token.accessToken;
  clearTimeout(refreshTimer);
  // renewed before it runs out, so a social worker typing a long note is not thrown out
  refreshTimer = setTimeout(() => void refresh(), Math.max(5, token.expiresIn * 0.8) * 1000);
}

function forget() {
  accessToken = null;
  userId = null;
  clearTimeout(refreshTimer);
}

/**
 * Exchanges the refresh cookie for a new access token; false when there is no session (any more).
 * Tabs share the cookie, and a refresh token is spent once (a second use ends the session as stolen):
 * the exchange is serialised across the browser's tabs with a Web Lock, so a tab that waited uses the
 * cookie the first one received.
 */
export function refresh(): Promise<boolean> {
  // 'ended': the server says there is no session (any more); 'unavailable': it could not say (a 5xx, a
  // 429, the network), and the session may well be alive: the user stays, and the renewal is tried again shortly
  const exchange = async (): Promise<'ok' | 'ended' | 'unavailable'> => {
    const response = await fetch('/auth/session/refresh', { method: 'POST', headers: WEB_HEADER, credentials: 'same-origin' });
    // 429: the office's shared address went over the limit; the session is fine
    if (response.status >= 500 || response.status === 429) return 'unavailable';
    if (!response.ok) return 'ended';
    keep(await response.json());
    return 'ok';
  };
  refreshing ??= (async () => {
    try {
      return await (navigator.locks ? navigator.locks.request('casework-refresh', exchange) : exchange());
    } catch {
      return 'unavailable' as const;
    } finally {
      refreshing = null;
    }
  })().then((outcome) => {
    if (outcome === 'ended' && accessToken) {
      // a session that ended while the page was open (signed out elsewhere, expired): nothing stays on screen
      forget();
      onSignedOut();
    }
    if (outcome === 'unavailable' && accessToken) {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => void refresh(), RETRY_RENEWAL_MS);
    }
    return outcome === 'ok';
  });
  return refreshing;
}

export async function signIn(email: string, password: string): Promise<Problem | null> {
  const { data, error } = await api.POST('/auth/session', { body: { email, password }, params: { header: WEB_HEADER } });
  if (error) return error as Problem;
  keep(data);
  return null;
}

/**
 * Ends the session on the server (this one, or all of the user's) before anything is cleared here: a
 * sign-out that did not reach the server throws, and the page says so, rather than leave a session
 * and its cookie behind on a shared computer. An expired access token is renewed first (middleware).
 */
export async function signOut(everywhere = false): Promise<void> {
  const { error, response } = everywhere ? await api.POST('/auth/sign-out-everywhere') : await api.POST('/auth/session/sign-out');
  if (error || !response.ok) throw error ?? new Error(response.statusText);
  forget();
  onSignedOut();
}

export function whenSignedOut(callback: () => void) {
  onSignedOut = callback;
}

const retries = new Map<string, Request>();

/**
 * Every API call: the access token, and the purpose chosen on screen (X-Purpose) unless the call
 * names its own. A 401 on an expired token is answered by one refresh and the same request again.
 */
const authenticate: Middleware = {
  onRequest({ request, id }) {
    if (accessToken) request.headers.set('Authorization', `Bearer ${accessToken}`);
    if (!request.headers.has('Accept-Language')) request.headers.set('Accept-Language', document.documentElement.lang || 'nl');
    retries.set(id, request.clone());
    return request;
  },
  async onResponse({ response, id, request }) {
    const original = retries.get(id);
    retries.delete(id);
    // the cookie exchanges themselves are not retried (a 401 there is the answer); every other call is,
    // sign-out included, so an expired access token cannot leave the session open
    const path = new URL(request.url).pathname;
    if (response.status !== 401 || !original || path === '/auth/session' || path === '/auth/session/refresh') return response;
    if (!(await refresh())) return response;
    original.headers.set('Authorization', `Bearer ${accessToken}`);
    return fetch(original);
  },
  onError({ id }) {
    retries.delete(id);
  },
};
api.use(authenticate);

/** The message to show for a failed call: the problem's title (in the reader's language) and what is wrong with each field. */
export function problemText(error: unknown): string {
  const problem = error as Partial<Problem> | undefined;
  if (!problem?.title) return String(error);
  return [problem.title, ...(problem.errors ?? []).map((e) => e.message)].join(' ');
}

/**
 * A file the API answers (a CSV or PDF report), fetched with the access token and handed to the
 * browser as a download; a link could not carry the token, and the token never goes into a URL.
 */
/** Sends one file as multipart/form-data (field `file`) with the session's token; the problem, or null. */
export async function upload(path: string, method: 'POST' | 'PUT', file: File): Promise<Problem | null> {
  const call = () => {
    const body = new FormData();
    body.append('file', file);
    return fetch(path, {
      method,
      body,
      headers: { ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}), 'Accept-Language': document.documentElement.lang || 'nl' },
    });
  };
  let response = await call();
  if (response.status === 401 && (await refresh())) response = await call();
  if (!response.ok) return (await response.json().catch(() => ({ title: response.statusText }))) as Problem;
  return null;
}

export async function download(path: string, fallbackName: string): Promise<Problem | null> {
  const call = () =>
    fetch(path, { headers: { ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}), 'Accept-Language': document.documentElement.lang || 'nl' } });
  let response = await call();
  if (response.status === 401 && (await refresh())) response = await call();
  if (!response.ok) return (await response.json().catch(() => ({ title: response.statusText }))) as Problem;
  const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return null;
}
