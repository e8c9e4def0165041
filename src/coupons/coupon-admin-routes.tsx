// /admin/coupons: list, create, disable. Who may use which route is in src/admin/route-access.ts
// (owner and staff change, the auditor reads); registered inside the admin plugin, so the IP
// allow-list, session, role table and CSRF hooks apply. Changes are audited in coupon-service.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { accessFor, roleMayUse } from '../admin/route-access.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import { wallTimeToInstant } from '../incidents/legal-deadlines.ts';
import { RowIdParam } from '../http/row-id.ts';
import { normaliseCouponCode } from './coupon-code.ts';
import { createCoupon, disableCoupon, listCoupons, type CouponChangeError } from './coupon-service.ts';
import { COUPON_FIELDS, couponAdminMessages, type CouponField } from './coupon-admin-messages.ts';
import { CouponAdminPage, type CouponPageOutcome } from './views/coupon-admin-page.tsx';

const WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const whole = (min: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(100_000_000).optional());
const wallTime = z.preprocess(emptyToUndefined, z.string().regex(WALL_TIME).refine((v) => !Number.isNaN(Date.parse(`${v}:00Z`))).optional());

// The code is compared normalised (NFKC, upper case), so the pattern applies to that form.
const CouponForm = z.object({
  code: z.string().max(64).transform(normaliseCouponCode).pipe(z.string().regex(/^[A-Z0-9_-]{3,32}$/)),
  kind: z.enum(['fixed', 'percent']),
  amount: z.coerce.number().int().min(1).max(100_000_000),
  minimumSubtotal: whole(0),
  validFrom: wallTime,
  validUntil: wallTime,
  usageLimit: whole(1),
  perCustomerLimit: whole(1),
});
/**
 * Checks across fields, run on the raw form even when other fields are bad, so every wrong field
 * gets its message at once (an object refinement would not run after a field failed).
 */
function crossFieldErrors(body: Record<string, unknown>): CouponField[] {
  const out: CouponField[] = [];
  if (body.kind === 'percent' && Number(body.amount) > 100) out.push('amount');
  const from = body.validFrom, until = body.validUntil;
  // Wall times of one zone compare as strings; the stored instants keep that order.
  if (typeof from === 'string' && typeof until === 'string' && WALL_TIME.test(from) && WALL_TIME.test(until) && until <= from) out.push('validUntil');
  return out;
}
const IdParams = z.object({ id: RowIdParam });

export async function couponAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;
  const actor = (request: FastifyRequest) => ({ actor: `admin:${signedInAccount(request).id}`, ip: request.ip, now: shop.clock() });

  async function page(request: FastifyRequest, reply: FastifyReply, outcome: CouponPageOutcome = {}, status = 200) {
    const ctx = adminViewContext(request, reply);
    const account = signedInAccount(request);
    const change = accessFor('POST', '/admin/coupons');
    const rows = await listCoupons(db);
    return sendAdminPage(reply, ctx, couponAdminMessages(ctx.locale).title, (
      <CouponAdminPage ctx={ctx} rows={rows} outcome={outcome} now={shop.clock()} timeZone={ctx.timeZone}
        canChange={change !== undefined && roleMayUse(change, account.role)} />
    ), status);
  }
  const errorOf = (request: FastifyRequest, e: CouponChangeError) => couponAdminMessages(request.locale).errors[e];

  app.get('/coupons', async (request, reply) => {
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    const m = couponAdminMessages(request.locale);
    return page(request, reply, done === 'created' ? { notice: m.created } : done === 'disabled' ? { notice: m.disabled } : {});
  });

  app.post('/coupons', async (request, reply) => {
    const m = couponAdminMessages(request.locale);
    const body = (request.body ?? {}) as Record<string, unknown>;
    // What the merchant typed comes back, except anything holding a card number.
    const typed: Record<string, string> = {};
    for (const k of COUPON_FIELDS) { const v = body[k]; if (typeof v === 'string' && !containsCardNumber(v)) typed[k] = v.slice(0, 64); }
    const cardNumber = COUPON_FIELDS.some((k) => typeof body[k] === 'string' && containsCardNumber(body[k] as string));
    const form = CouponForm.safeParse(body);
    const cross = crossFieldErrors(body);
    if (!form.success || cross.length > 0 || cardNumber) {
      const fieldErrors: Partial<Record<CouponField, string>> = {};
      const bad = [...(form.error?.issues ?? []).map((i) => i.path[0] as CouponField), ...cross];
      for (const k of bad) if (COUPON_FIELDS.includes(k)) fieldErrors[k] ??= m.fieldErrors[k];
      return page(request, reply, { error: cardNumber ? m.cardNumber : m.invalid, fieldErrors, values: typed }, 400);
    }
    const f = form.data;
    const tz = adminTimeZone(request);
    const r = await createCoupon(db, {
      code: f.code, kind: f.kind, amount: f.amount, minimumSubtotal: f.minimumSubtotal ?? 0,
      validFrom: f.validFrom ? wallTimeToInstant(f.validFrom, tz).toISOString() : null,
      validUntil: f.validUntil ? wallTimeToInstant(f.validUntil, tz).toISOString() : null,
      usageLimit: f.usageLimit ?? null, perCustomerLimit: f.perCustomerLimit ?? null,
    }, actor(request));
    if (!r.ok) return page(request, reply, { error: errorOf(request, r.error), fieldErrors: { code: errorOf(request, r.error) }, values: typed }, 409);
    return reply.code(303).redirect('/admin/coupons?done=created');
  });

  app.post('/coupons/:id/disable', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const r = await disableCoupon(db, params.data.id, actor(request));
    if (!r.ok && r.error === 'COUPON_NOT_FOUND') return reply.callNotFound();
    if (!r.ok) return page(request, reply, { error: errorOf(request, r.error) }, 409);
    return reply.code(303).redirect('/admin/coupons?done=disabled');
  });
}
