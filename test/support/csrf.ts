// The CSRF dance every form test does: read the token from the page's hidden `_csrf` field,
// send it back with the page's cookies (the secret lives in a cookie). One copy for inject and fetch.
import type { LightMyRequestResponse as InjectResponse } from 'fastify';

export interface CsrfForm {
  /** The hidden field's value. */
  token: string;
  /** A Cookie header carrying every cookie the page set (the CSRF secret among them). */
  cookie: string;
}

/** The `_csrf` token of a page, or '' when it has no form (a client that keeps the last one seen). */
export function csrfTokenIfAny(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

/** The `_csrf` token of a rendered form; throws when the page has none, so a test cannot post an empty one by accident. */
export function csrfTokenOf(html: string): string {
  const token = csrfTokenIfAny(html);
  if (!token) throw new Error('no _csrf field on the page');
  return token;
}

function cookieHeaderOf(setCookie: string[]): string {
  return setCookie.map((c) => c.split(';')[0]!).join('; ');
}

/** Token and cookies of a page fetched with app.inject. */
export function csrfFromInject(page: InjectResponse): CsrfForm {
  return { token: csrfTokenOf(page.body), cookie: page.cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
}

/** Token and cookies of a page fetched over HTTP; returns the page's HTML too (the body can be read once). */
export async function csrfFromFetch(page: Response): Promise<CsrfForm & { html: string }> {
  const html = await page.text();
  return { html, token: csrfTokenOf(html), cookie: cookieHeaderOf(page.headers.getSetCookie()) };
}

/** An application/x-www-form-urlencoded body with the token added. */
export function formWithCsrf(csrf: Pick<CsrfForm, 'token'>, fields: Record<string, string> = {}): string {
  return new URLSearchParams({ _csrf: csrf.token, ...fields }).toString();
}

/** Headers for posting that form back. */
export function formHeaders(csrf: Pick<CsrfForm, 'cookie'>): Record<string, string> {
  return { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie };
}
