// Response headers of every HTML page the gateway serves: a nonce-based CSP that allows
// nothing from anywhere else (PCI DSS 6.4.3: no script the gateway did not serve itself;
// here, no script at all), no framing, no caching of pages that show payment details.
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** With nonce null (API responses) no stylesheet is allowed either. */
export function pageCspDirectives(nonce: string | null, formActionOrigins: readonly string[]): Record<string, string[]> {
  return {
    'default-src': ["'none'"],
    'script-src': ["'none'"],
    'style-src': [nonce ? `'nonce-${nonce}'` : "'none'"],
    'img-src': ["'self'"],
    // Chrome applies form-action to the redirects after a submit too, so the shop's return origins must be listed.
    'form-action': ["'self'", ...new Set(formActionOrigins)],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'object-src': ["'none'"],
  };
}

/** Sets the page headers and returns the nonce for the page's inline stylesheet. */
export function applyPageSecurityHeaders(reply: FastifyReply, formActionOrigins: readonly string[] = []): string {
  const nonce = randomBytes(16).toString('base64');
  reply.helmet({ contentSecurityPolicy: { useDefaults: false, directives: pageCspDirectives(nonce, formActionOrigins) } });
  reply.header('cache-control', 'no-store');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  reply.type('text/html; charset=utf-8');
  return nonce;
}
