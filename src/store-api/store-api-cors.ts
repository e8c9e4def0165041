// CORS for a headless storefront: only the merchant's listed origins (STORE_API_CORS_ORIGINS),
// only on the Store API and product images; never credentials (the API uses no cookies), so a
// listed origin still cannot act with a shopper's or an admin's session.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import cors, { type FastifyCorsOptions } from '@fastify/cors';

/** Registers @fastify/cors in the Store API's own scope (fastify-plugin scoping: its routes only). */
export async function installStoreApiCors(app: FastifyInstance, origins: string[]): Promise<void> {
  const allowed = new Set(origins);
  const options: FastifyCorsOptions = {
    origin: (origin: string | undefined, cb: (e: Error | null, allow: boolean) => void) => cb(null, origin !== undefined && allowed.has(origin)),
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Accept-Language'],
    maxAge: 600,
  };
  // The plugin's preflight route is `OPTIONS /api/*` (this scope's prefix): other /api routes
  // (postal codes, CSP reports) must not answer preflights, so the delegator limits it by path.
  await app.register(cors, () => (request: FastifyRequest, cb: (error: Error | null, options: FastifyCorsOptions) => void) => {
    cb(null, request.url.startsWith('/api/store/') ? options : { origin: false });
  });
}

/** /media/ images: loadable by <img> on a listed storefront (CORP) and by fetch/canvas (ACAO). */
export function installMediaCors(app: FastifyInstance, origins: string[]): void {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/media/')) return payload;
    // Helmet's default is same-origin; an <img> sends no Origin, so CORP cannot be per-origin.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    return payload;
  });
}
