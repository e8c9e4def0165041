// A PageFetch over Fastify's app.inject: the walk runs against an in-process shop (tests, or a
// job inside the shop's own process) without opening a socket. Requests for another origin are
// answered 502, as an unreachable host would be, so nothing leaves the process.
import type { FastifyInstance } from 'fastify';
import type { PageFetch } from './walk-to-payment.ts';

export function injectFetch(app: Pick<FastifyInstance, 'inject'>, origin: string): PageFetch {
  const own = new URL(origin).origin;
  return async (url, init = {}) => {
    const target = new URL(url);
    if (target.origin !== own) return new Response('not this shop', { status: 502 });
    const res = await app.inject({
      method: (init.method ?? 'GET') as 'GET',
      url: target.pathname + target.search,
      headers: init.headers ?? {},
      ...(init.body !== undefined ? { payload: init.body } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [String(value)]) headers.append(name, v);
    }
    // 1xx/204/304 may not carry a body in a Response.
    const body = [204, 304].includes(res.statusCode) ? null : new Uint8Array(res.rawPayload);
    return new Response(body, { status: res.statusCode, headers });
  };
}
