// The storefront's inquiry form at /contact (CSRF-checked with the other HTML forms, rate limited).
// Stays reachable while the storefront is stopped after an incident: customers must be able to ask.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../layout/page-layout.tsx';
import { buildViewContext } from '../http/view-context-builder.ts';
import { blankCardNumbers } from '../card-data/card-number-guard.ts';
import { activeNoticeIncidentId } from '../incident-notices/public-notice.ts';
import { ContactPage, ContactThanksPage, EMPTY_CONTACT_FORM, type ContactFormValues } from './contact-page.tsx';
import { inquiryMessages } from './inquiry-messages.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { createInquiry, inquiriesInLastDay, parseInquiryForm, type InquiryFieldError } from './inquiries.ts';
import { currentMailShop } from '../shop-settings/mail-signature.ts';

function formValues(body: unknown): ContactFormValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const pick = (k: keyof ContactFormValues) => (typeof b[k] === 'string' ? (b[k] as string).slice(0, 4000) : '');
  return { email: pick('email'), orderNumber: pick('orderNumber'), category: pick('category'), message: pick('message') };
}

export async function contactRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const limit = { rateLimit: { max: app.web.rateLimits.lookup, timeWindow: '1 minute' } };

  async function render(request: FastifyRequest, reply: FastifyReply, values: ContactFormValues, errors: InquiryFieldError[], status = 200, formError?: (m: ReturnType<typeof inquiryMessages>['form']) => string) {
    const [ctx, mailShop] = await Promise.all([buildViewContext(request, reply), currentMailShop(shop)]);
    const m = inquiryMessages(ctx.locale).form;
    return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8')
      .send(renderPage(ctx, { title: m.title, description: m.intro, indexable: false }, <ContactPage ctx={ctx} values={values} errors={errors} contact={mailShop.contact} {...(formError ? { formError: formError(m) } : {})} />));
  }

  app.get<{ Querystring: { topic?: string } }>('/contact', async (request, reply) =>
    render(request, reply, { ...EMPTY_CONTACT_FORM, category: request.query.topic === 'incident' ? 'incident' : '' }, []));

  app.post('/contact', { config: limit }, async (request, reply) => {
    const values = formValues(request.body);
    const parsed = parseInquiryForm(values);
    // A card number is neither stored nor echoed back into the re-rendered form.
    if (!parsed.ok) return render(request, reply, blankCardNumbers(values), parsed.errors, 400);
    // A global cap: the per-IP limit does not stop a botnet filling the table staff must read.
    const limits = shop.config.inquiries;
    if (await inquiriesInLastDay(shop.db.db, shop.clock()) >= limits.perDay) {
      // Deduplicated: one open alert (one mail to the owners) however many posts are refused.
      await raiseAlert(shop, {
        kind: 'inquiries.daily_limit', severity: 'medium', dedupeKey: 'inquiries.daily_limit',
        summary: `/contact reached its limit of ${limits.perDay} inquiries in 24 hours; further inquiries are refused`,
        evidence: { perDay: limits.perDay },
      });
      return render(request, reply, values, [], 503, (m) => m.dailyLimit);
    }
    const [incidentId, mailShop] = await Promise.all([activeNoticeIncidentId(shop.db.db), currentMailShop(shop)]);
    // The confirmation is signed with the name and zone saved on the settings page.
    const created = await createInquiry(
      { db: shop.db.db, mailer: shop.mailer, clock: shop.clock, timeZone: mailShop.timeZone, shopName: mailShop.shopName, publicUrl: shop.config.publicUrl, confirmationsPerAddressPerDay: limits.confirmationsPerAddressPerDay },
      parsed.value, request.locale, incidentId ?? null, request.ip,
    );
    const ctx = await buildViewContext(request, reply);
    const m = inquiryMessages(ctx.locale).form;
    return reply.code(201).header('cache-control', 'no-store').type('text/html; charset=utf-8')
      .send(renderPage(ctx, { title: m.thanksTitle, description: m.thanksTitle, indexable: false }, <ContactThanksPage ctx={ctx} reference={created.reference} mailed={created.confirmationSent} />));
  });
}
