// /admin/incidents/:id/notices: the notice templates (ja/en), a preview and a printable letter for
// one recipient, the bulk send with its progress, and the public notice page. Owner only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import { z } from 'zod';
import { adminShopProfile, adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { CsrfField } from '../admin/views/admin-layout.tsx';
import { staticAsset } from '../layout/static-assets.ts';
import { formatDateTime } from '../i18n/locale.ts';
import type { Incident } from '../incidents/incident-tables.ts';
import { loadIncident } from '../incident-scope/scope-admin-routes.tsx';
import { loadIncidentScope, scopeCustomersPage, scopeRows, type StoredScope } from '../incident-scope/incident-scope.ts';
import { adminNoticeMessages } from './admin-notice-messages.ts';
import { loadNoticeTemplates, NoticeTemplateForm, renderNotice, saveNoticeTemplates, type RenderedNotice } from './notice-templates.ts';
import { listNoticeSends, noticeValues, startNoticeSend } from './send-notices.ts';
import { isPublished, loadPublicNotice, PublicNoticeForm, savePublicNotice, setPublicNoticePublished } from './public-notice.ts';
import { RECIPIENT_STATUSES } from './notice-tables.ts';
import { PlainText } from './notice-text.tsx';
import { blankCardNumbers } from '../card-data/card-number-guard.ts';

const PreviewQuery = z.object({ email: z.email().max(254).optional().catch(undefined), done: z.string().max(20).optional().catch(undefined) });

interface PreviewRecipient {
  email: string;
  name: string;
  locale: string;
  orderNumbers: string[];
}

/** One person of the scope with their orders in it (streamed, though one person has few). */
async function scopeRecipient(db: FastifyInstance['shop']['db']['db'], scope: StoredScope, email: string | undefined): Promise<PreviewRecipient | undefined> {
  const target = email ?? (await scopeCustomersPage(db, scope, undefined, 1))[0]?.email;
  if (!target || (scope.emails && !scope.emails.includes(target))) return undefined;
  let found: PreviewRecipient | undefined;
  for await (const r of scopeRows(db, { ...scope, emails: [target] })) {
    found ??= { email: r.email, name: r.name, locale: r.locale, orderNumbers: [] };
    if (!found.orderNumbers.includes(r.orderNumber)) found.orderNumbers.push(r.orderNumber);
  }
  return found;
}

export async function incidentNoticeAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;

  async function rendered(incident: Incident, scope: StoredScope | undefined, email: string | undefined): Promise<{ recipient: PreviewRecipient; mail: RenderedNotice } | undefined> {
    if (!scope) return undefined;
    const recipient = await scopeRecipient(db, scope, email);
    if (!recipient) return undefined;
    const templates = await loadNoticeTemplates(db, incident.id);
    const values = noticeValues({ name: recipient.name, order_numbers: recipient.orderNumbers.join(','), locale: recipient.locale }, incident.reference, shop.config.publicUrl);
    return { recipient, mail: renderNotice(recipient.locale === 'en' ? templates.en : templates.ja, values) };
  }

  async function page(request: FastifyRequest, reply: FastifyReply, incident: Incident, opts: { error?: string; notice?: string; templateForm?: Record<string, string>; noticeForm?: Record<string, string> } = {}, status = 200) {
    const ctx = adminViewContext(request, reply);
    const m = adminNoticeMessages(ctx.locale);
    const q = PreviewQuery.parse(request.query ?? {});
    const scope = await loadIncidentScope(db, incident.id);
    const templates = await loadNoticeTemplates(db, incident.id);
    const t = opts.templateForm ?? { subject_ja: templates.ja.subject, body_ja: templates.ja.body, subject_en: templates.en.subject, body_en: templates.en.body };
    const preview = await rendered(incident, scope, q.email);
    const sends = await listNoticeSends(db, incident.id);
    const pn = await loadPublicNotice(db, incident.id);
    const n = opts.noticeForm ?? { slug: pn?.slug ?? '', title_ja: pn?.title_ja ?? '', title_en: pn?.title_en ?? '', body_ja: pn?.body_ja ?? '', body_en: pn?.body_en ?? '' };
    const base = `/admin/incidents/${incident.id}`;
    const notice = opts.notice ?? (q.done === 'saved' ? m.saved : q.done === 'started' && sends[0] ? m.started(Number(sends[0].recipients_total)) : undefined);
    return sendAdminPage(reply, ctx, m.title(incident.reference), (
      <section>
        <h1>{m.title(incident.reference)}</h1>
        <p>{incident.title} · <a href={`${base}/scope`}>{m.scope}</a></p>
        {opts.error ? <p class="error-summary" role="alert">{opts.error}</p> : null}
        {notice ? <p class="notice" role="status">{notice}</p> : null}

        <h2>{m.templates}</h2>
        {!templates.saved ? <p class="note">{m.defaultsShown}</p> : null}
        <p class="note">{m.placeholders}</p>
        <form method="post" action={`${base}/notices/templates`}>
          <CsrfField ctx={ctx} />
          <label for="subject_ja">{m.subjectJa}</label><input id="subject_ja" name="subject_ja" maxlength={200} value={t.subject_ja} />
          <label for="body_ja">{m.bodyJa}</label><textarea id="body_ja" name="body_ja" rows={12}>{t.body_ja}</textarea>
          <label for="subject_en">{m.subjectEn}</label><input id="subject_en" name="subject_en" maxlength={200} value={t.subject_en} />
          <label for="body_en">{m.bodyEn}</label><textarea id="body_en" name="body_en" rows={12}>{t.body_en}</textarea>
          <button type="submit">{m.saveTemplates}</button>
        </form>

        <h2>{m.preview}</h2>
        <form method="get" action={`${base}/notices`} class="inline-form">
          <label for="email">{m.previewFor}</label><input id="email" name="email" type="email" value={q.email ?? preview?.recipient.email ?? ''} />
          <button type="submit">{m.showPreview}</button>
        </form>
        {preview ? (
          <article class="notice-preview">
            <p>{m.to}: {preview.recipient.email}</p>
            <p>{m.subject}: <strong>{preview.mail.subject}</strong></p>
            <PlainText text={preview.mail.text} />
            <p><a href={`${base}/notices/print?email=${encodeURIComponent(preview.recipient.email)}`}>{m.print}</a></p>
          </article>
        ) : <p>{scope ? m.noRecipient : m.needScope}</p>}

        <h2>{m.send}</h2>
        <p>{m.sendIntro(shop.config.incidentNotices.sendPerMinute)}</p>
        <form method="post" action={`${base}/notices/send`}>
          <CsrfField ctx={ctx} />
          <button type="submit" disabled={!scope}>{m.startSend}</button>
        </form>
        {sends.length ? (
          <table>
            <caption>{m.sends}</caption>
            <thead><tr><th>{m.startedAt}</th><th>{m.finishedAt}</th>{RECIPIENT_STATUSES.map((s) => <th>{m.statuses[s]}</th>)}<th>{m.total}</th></tr></thead>
            <tbody>{sends.map((s) => (
              <tr class={`notice-send notice-send-${s.status}`}>
                <td>{formatDateTime(s.started_at, ctx.locale, ctx.timeZone)}</td>
                <td>{s.finished_at ? formatDateTime(s.finished_at, ctx.locale, ctx.timeZone) : m.sending}</td>
                {RECIPIENT_STATUSES.map((st) => <td>{s.progress[st]}</td>)}
                <td>{s.progress.total}</td>
              </tr>
            ))}</tbody>
          </table>
        ) : null}

        <h2>{m.publicNotice}</h2>
        <p>{pn && isPublished(pn) ? <><strong>{m.published}</strong> <a href={`/notice/${pn.slug}`}>/notice/{pn.slug}</a></> : m.notPublished}</p>
        <form method="post" action={`${base}/notice-page`}>
          <CsrfField ctx={ctx} />
          <label for="slug">{m.slug}</label><input id="slug" name="slug" maxlength={80} value={n.slug} />
          <label for="title_ja">{m.titleJa}</label><input id="title_ja" name="title_ja" maxlength={200} value={n.title_ja} />
          <label for="notice_body_ja">{m.noticeBodyJa}</label><textarea id="notice_body_ja" name="body_ja" rows={10}>{n.body_ja}</textarea>
          <label for="title_en">{m.titleEn}</label><input id="title_en" name="title_en" maxlength={200} value={n.title_en} />
          <label for="notice_body_en">{m.noticeBodyEn}</label><textarea id="notice_body_en" name="body_en" rows={10}>{n.body_en}</textarea>
          <button type="submit">{m.saveNotice}</button>
        </form>
        {pn ? (
          <form method="post" action={`${base}/notice-page/${isPublished(pn) ? 'unpublish' : 'publish'}`}>
            <CsrfField ctx={ctx} />
            <button type="submit">{isPublished(pn) ? m.unpublish : m.publish}</button>
          </form>
        ) : null}
      </section>
    ), status);
  }

  const withIncident = (handler: (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, incident: Incident) => Promise<unknown>) =>
    async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const incident = await loadIncident(db, request.params.id);
      if (!incident) return reply.callNotFound();
      return handler(request, reply, incident);
    };
  const actor = (request: FastifyRequest) => `admin:${signedInAccount(request).id}`;
  const strings = (body: unknown, keys: string[]): Record<string, string> => Object.fromEntries(keys.map((k) => {
    const v = (body as Record<string, unknown> | undefined)?.[k];
    return [k, typeof v === 'string' ? v.slice(0, 60_000) : ''];
  }));

  app.get<{ Params: { id: string } }>('/incidents/:id/notices', withIncident((request, reply, incident) => page(request, reply, incident)));

  app.post<{ Params: { id: string } }>('/incidents/:id/notices/templates', withIncident(async (request, reply, incident) => {
    const raw = strings(request.body, ['subject_ja', 'body_ja', 'subject_en', 'body_en']);
    const form = NoticeTemplateForm.safeParse(raw);
    const m = adminNoticeMessages(request.locale);
    // A card number typed into a template is not echoed back.
    if (!form.success) return page(request, reply, incident, { error: m.invalid, templateForm: blankCardNumbers(raw) }, 400);
    const f = form.data;
    await saveNoticeTemplates(db, incident.id, { ja: { subject: f.subject_ja, body: f.body_ja }, en: { subject: f.subject_en, body: f.body_en } }, actor(request), shop.clock(), request.ip);
    return reply.code(303).redirect(`/admin/incidents/${incident.id}/notices?done=saved`);
  }));

  app.get<{ Params: { id: string } }>('/incidents/:id/notices/print', withIncident(async (request, reply, incident) => {
    const q = PreviewQuery.parse(request.query ?? {});
    const r = await rendered(incident, await loadIncidentScope(db, incident.id), q.email);
    if (!r) return reply.callNotFound();
    const address = await db.selectFrom('orders').select(['name', 'postal_code', 'prefecture', 'city', 'line1', 'line2']).where('email', '=', r.recipient.email).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    const lang = r.recipient.locale === 'en' ? 'en' : 'ja';
    const css = staticAsset('shop.css');
    const html = '<!doctype html>' + renderToString(
      <html lang={lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="robots" content="noindex, nofollow" />
          <title>{r.mail.subject}</title>
          <link rel="stylesheet" href={css.href} integrity={css.integrity} />
        </head>
        <body>
          <article class="notice-letter">
            {address ? (
              <address>
                {`〒${address.postal_code} ${address.prefecture}${address.city}`}<br />{address.line1}{address.line2 ? <><br />{address.line2}</> : null}<br />{address.name}
              </address>
            ) : null}
            <p>{formatDateTime(shop.clock().toISOString(), lang, adminTimeZone(request))}</p>
            <p>{adminShopProfile(request).shopName}</p>
            <h1>{r.mail.subject}</h1>
            <PlainText text={r.mail.text} />
          </article>
        </body>
      </html>,
    );
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  }));

  app.post<{ Params: { id: string } }>('/incidents/:id/notices/send', withIncident(async (request, reply, incident) => {
    const m = adminNoticeMessages(request.locale);
    const r = await startNoticeSend(db, incident.id, actor(request), shop.clock(), request.ip);
    if (!r.ok) return page(request, reply, incident, { error: r.error === 'NO_SCOPE' ? m.needScope : m.alreadySending }, 409);
    // Redirected, so reloading the page that shows the progress cannot start a second send.
    return reply.code(303).redirect(`/admin/incidents/${incident.id}/notices?done=started`);
  }));

  app.post<{ Params: { id: string } }>('/incidents/:id/notice-page', withIncident(async (request, reply, incident) => {
    const raw = strings(request.body, ['slug', 'title_ja', 'title_en', 'body_ja', 'body_en']);
    const form = PublicNoticeForm.safeParse(raw);
    const m = adminNoticeMessages(request.locale);
    if (!form.success) return page(request, reply, incident, { error: m.invalid, noticeForm: blankCardNumbers(raw) }, 400);
    const r = await savePublicNotice(db, incident.id, form.data, actor(request), shop.clock(), request.ip);
    if (!r.ok) return page(request, reply, incident, { error: m.slugTaken, noticeForm: raw }, 409);
    return reply.code(303).redirect(`/admin/incidents/${incident.id}/notices?done=saved`);
  }));

  for (const action of ['publish', 'unpublish'] as const) {
    app.post<{ Params: { id: string } }>(`/incidents/:id/notice-page/${action}`, withIncident(async (request, reply, incident) => {
      const changed = await setPublicNoticePublished(db, incident.id, action === 'publish', actor(request), shop.clock(), request.ip);
      if (!changed) return reply.callNotFound();
      return reply.code(303).redirect(`/admin/incidents/${incident.id}/notices?done=saved`);
    }));
  }
}
