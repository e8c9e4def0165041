// GET /api/store/postal-codes/{code}: the shop's own postal-code lookup, for the checkout
// page's script (public/postal-code-fill.js) and headless storefronts. Same origin, so the
// strict CSP's connect-src 'self' allows it and no customer input goes to a third party.
import type { FastifyInstance } from 'fastify';
import { ShopError } from '../http/error-catalog.ts';
import { normalizePrefecture, PREFECTURES } from './prefectures.ts';
import { parsePostalCode } from './postal-code.ts';
import { lookupPostalCode } from './postal-code-lookup.ts';

export async function postalCodeRoutes(app: FastifyInstance) {
  app.get<{ Params: { code: string } }>('/store/postal-codes/:code', {
    config: { rateLimit: { max: app.web.rateLimits.lookup * 30, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    const raw = request.params.code.slice(0, 20);
    const digits = parsePostalCode(raw);
    if (!digits) throw new ShopError('MAMORI_ERR_VALIDATION', 'code must be a Japanese postal code of 7 digits', [{ field: 'code', message: 'Use 7 digits, e.g. 1000001 or 100-0001' }]);
    const found = lookupPostalCode(digits);
    if (!found) throw new ShopError('MAMORI_ERR_POSTAL_CODE_NOT_FOUND', `No address for postal code ${digits}`);
    const pref = PREFECTURES.find((p) => p.ja === normalizePrefecture(found.prefecture));
    // Public data: a browser and any proxy may keep it for a day.
    reply.header('cache-control', 'public, max-age=86400');
    return { ...found, prefectureEn: pref?.en ?? found.prefecture };
  });
}
