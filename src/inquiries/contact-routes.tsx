// The storefront's inquiry form at /contact (CSRF-checked with the other HTML forms, rate limited).
// Stays reachable while the storefront is stopped after an incident: customers must be able to ask.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../layout/page-layout.tsx';
import { buildViewContext } from '../http/view-context-builder.ts';
import { blankCardNumbers } from '../card-data/card-number-guard.ts';
import { activeNoticeIncidentId } from '../incident-notices/public-notice.ts';
import { ContactPage, ContactThanksPage, EMPTY_CONTACT_FORM, type ContactFormValues } from './contact-page.tsx';
import { inquiryMessages } from './inquiry-messages.ts';
import { createInquiry, parseInquiryForm, type InquiryFieldError } from './inquiries.ts';

function formValues(body: unknown): ContactFormValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const pick = (k: keyof ContactFormValues) => (typeof b[k] === 'string' ? (b[k] as string).slice(0, 4000) : '');
  return { email: pick('email'), orderNumber: pick('orderNumber'), category: pick('category'), message: pick('message') };
}

export async function contactRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const limit = { rateLimit: { max: app.web.rateLimits.lookup, timeWindow: '1 minute' } };

  async function render(request: FastifyRequest, reply: FastifyReply, values: ContactFormValues, errors: InquiryFieldError[], status = 200) {
    const ctx = await buildViewContext(request, reply);
    const m = inquiryMessages(ctx.locale).form;
    return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8')
      .send(renderPage(ctx, { title: m.title, description: m.intro, indexable: false }, <ContactPage ctx={ctx} values={values} errors={errors} />));
  }

  app.get<{ Querystring: { topic?: string } }>('/contact', async (request, reply) =>
    render(request, reply, { ...EMPTY_CONTACT_FORM, category: request.query.topic === 'incident' ? 'incident' : '' }, []));

  app.post('/contact', { config: limit }, async (request, reply) => {
    const values = formValues(request.body);
    const parsed = parseInquiryForm(values);
    // A card number is neither stored nor echoed back into the re-rendered form.
    if (!parsed.ok) return render(request, reply, blankCardNumbers(values), parsed.errors, 400);
    const incidentId = await activeNoticeIncidentId(shop.db.db);
    const created = await createInquiry(
      { db: shop.db.db, mailer: shop.mailer, clock: shop.clock, timeZone: shop.config.timeZone, shopName: shop.config.shopName, publicUrl: shop.config.publicUrl },
      parsed.value, request.locale, incidentId ?? null, request.ip,
    );
    const ctx = await buildViewContext(request, reply);
    const m = inquiryMessages(ctx.locale).form;
    return reply.code(201).header('cache-control', 'no-store').type('text/html; charset=utf-8')
      .send(renderPage(ctx, { title: m.thanksTitle, description: m.thanksTitle, indexable: false }, <ContactThanksPage ctx={ctx} reference={created.reference} />));
  });
}
