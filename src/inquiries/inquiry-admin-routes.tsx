// /admin/inquiries: the inquiry desk's tickets (status, assignee, replies by e-mail), canned
// answers and counts per day. Owner and staff (route-access.ts): the messages are personal data.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adminShopProfile, adminTimeZone, adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { CsrfField } from '../admin/views/admin-layout.tsx';
import { adminDb } from '../admin/admin-tables.ts';
import { formatDateTime } from '../i18n/locale.ts';
import { blankCardNumbers } from '../card-data/card-number-guard.ts';
import { INQUIRY_STATUSES, type InquiryStatus } from './inquiry-tables.ts';
import { inquiryMessages } from './inquiry-messages.ts';
import { CannedForm, inquiryCountsPerDay, listCannedAnswers, listInquiries, loadInquiry, replyToInquiry, ReplyForm, saveCannedAnswer, updateInquiry, UpdateForm } from './inquiries.ts';
import { RowIdParam } from '../http/row-id.js';

const PAGE_SIZE = 50;
const Id = RowIdParam;
const ListQuery = z.object({
  status: z.enum(INQUIRY_STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
const DetailQuery = z.object({ canned: RowIdParam.optional().catch(undefined), done: z.enum(['replied', 'updated']).optional().catch(undefined) });

export async function inquiryAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;
  // A reply is signed with the name and zone saved on the settings page at the time it is sent.
  const deps = (request: FastifyRequest) => ({ db, mailer: shop.mailer, clock: shop.clock, timeZone: adminTimeZone(request), shopName: adminShopProfile(request).shopName, publicUrl: shop.config.publicUrl });
  const actor = (request: FastifyRequest) => `admin:${signedInAccount(request).id}`;

  async function assignees() {
    return adminDb(db).selectFrom('admin_accounts').select(['id', 'email']).where('role', 'in', ['owner', 'staff']).orderBy('email').execute();
  }

  app.get('/inquiries', async (request, reply) => {
    const q = ListQuery.parse(request.query ?? {});
    const ctx = adminViewContext(request, reply);
    const m = inquiryMessages(ctx.locale).admin;
    const { rows, total } = await listInquiries(db, { status: q.status }, { limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE });
    const perDay = await inquiryCountsPerDay(db, shop.clock(), adminTimeZone(request));
    const people = new Map((await assignees()).map((a) => [a.id, a.email]));
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    return sendAdminPage(reply, ctx, m.title, (
      <section>
        <h1>{m.title}</h1>
        <p><a href="/admin/inquiries/canned">{m.canned}</a></p>
        <table class="inquiry-counts">
          <caption>{m.perDay}</caption>
          <thead><tr>{perDay.map((d) => <th scope="col">{d.day.slice(5)}</th>)}</tr></thead>
          <tbody><tr>{perDay.map((d) => <td>{d.count}</td>)}</tr></tbody>
        </table>
        <form method="get" action="/admin/inquiries" class="inline-form">
          <label for="status">{m.status}</label>
          <select id="status" name="status">
            <option value="">{m.all}</option>
            {INQUIRY_STATUSES.map((s) => <option value={s} selected={q.status === s}>{m.statuses[s]}</option>)}
          </select>
          <button type="submit">{m.filter}</button>
        </form>
        {rows.length === 0 ? <p>{m.noInquiries}</p> : (
          <table>
            <thead><tr><th>{m.reference}</th><th>{m.received}</th><th>{m.email}</th><th>{m.category}</th><th>{m.status}</th><th>{m.assignee}</th></tr></thead>
            <tbody>{rows.map((r) => (
              <tr>
                <td><a href={`/admin/inquiries/${r.id}`}>{r.reference}</a></td>
                <td>{formatDateTime(r.created_at, ctx.locale, ctx.timeZone)}</td>
                <td>{r.email}</td>
                <td>{inquiryMessages(ctx.locale).form.categories[r.category]}</td>
                <td>{m.statuses[r.status]}</td>
                <td>{r.assignee_id ? people.get(r.assignee_id) ?? `#${r.assignee_id}` : m.unassigned}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
        <p>{m.page(q.page, pages)}</p>
      </section>
    ));
  });

  async function detail(request: FastifyRequest, reply: FastifyReply, id: number, opts: { error?: string; replyText?: string } = {}, status = 200) {
    const found = await loadInquiry(db, id);
    if (!found) return reply.callNotFound();
    const { inquiry, replies } = found;
    const ctx = adminViewContext(request, reply);
    const m = inquiryMessages(ctx.locale).admin;
    const q = DetailQuery.parse(request.query ?? {});
    const canned = await listCannedAnswers(db);
    const chosen = q.canned ? canned.find((c) => c.id === q.canned) : undefined;
    const replyText = opts.replyText ?? (chosen ? (inquiry.locale === 'en' ? chosen.body_en : chosen.body_ja) : '');
    const people = await assignees();
    return sendAdminPage(reply, ctx, `${m.title} ${inquiry.reference}`, (
      <section>
        <h1>{inquiry.reference}</h1>
        {opts.error ? <p class="error-summary" role="alert">{opts.error}</p> : null}
        {q.done ? <p class="notice" role="status">{m[q.done]}</p> : null}
        <dl>
          <dt>{m.received}</dt><dd>{formatDateTime(inquiry.created_at, ctx.locale, ctx.timeZone)}</dd>
          <dt>{m.email}</dt><dd>{inquiry.email}</dd>
          <dt>{m.orderNumber}</dt><dd>{inquiry.order_number ?? '—'}</dd>
          <dt>{m.category}</dt><dd>{inquiryMessages(ctx.locale).form.categories[inquiry.category]}</dd>
          <dt>{m.status}</dt><dd>{m.statuses[inquiry.status]}</dd>
        </dl>
        <h2>{m.message}</h2>
        <pre class="inquiry-message">{inquiry.message}</pre>
        <form method="post" action={`/admin/inquiries/${inquiry.id}`} class="inline-form">
          <CsrfField ctx={ctx} />
          <label for="status">{m.status}</label>
          <select id="status" name="status">{INQUIRY_STATUSES.map((s) => <option value={s} selected={inquiry.status === s}>{m.statuses[s]}</option>)}</select>
          <label for="assigneeId">{m.assignee}</label>
          <select id="assigneeId" name="assigneeId">
            <option value="">{m.unassigned}</option>
            {people.map((p) => <option value={String(p.id)} selected={inquiry.assignee_id === p.id}>{p.email}</option>)}
          </select>
          <button type="submit">{m.update}</button>
        </form>
        <h2>{m.replies}</h2>
        <ul>{replies.map((r) => <li><p class="note">{formatDateTime(r.sent_at, ctx.locale, ctx.timeZone)} · {r.author}</p><pre>{r.body}</pre></li>)}</ul>
        <h2>{m.reply}</h2>
        {canned.length ? (
          <p>{m.useCanned}: {canned.map((c) => <><a href={`/admin/inquiries/${inquiry.id}?canned=${c.id}`}>{c.title}</a>{' '}</>)}</p>
        ) : null}
        <form method="post" action={`/admin/inquiries/${inquiry.id}/reply`}>
          <CsrfField ctx={ctx} />
          <label for="body">{m.reply}</label>
          <textarea id="body" name="body" rows={10}>{replyText}</textarea>
          <button type="submit">{m.sendReply}</button>
        </form>
      </section>
    ), status);
  }

  app.get<{ Params: { id: string } }>('/inquiries/:id', async (request, reply) => {
    const id = Id.safeParse(request.params.id);
    if (!id.success) return reply.callNotFound();
    return detail(request, reply, id.data);
  });

  app.post<{ Params: { id: string } }>('/inquiries/:id', async (request, reply) => {
    const id = Id.safeParse(request.params.id);
    const found = id.success ? await loadInquiry(db, id.data) : undefined;
    if (!found) return reply.callNotFound();
    const form = UpdateForm.safeParse(request.body ?? {});
    const assignee = form.success && form.data.assigneeId !== null ? (await assignees()).find((a) => a.id === form.data.assigneeId) : undefined;
    if (!form.success || (form.data.assigneeId !== null && !assignee)) return detail(request, reply, found.inquiry.id, { error: inquiryMessages(request.locale).admin.invalid }, 400);
    await updateInquiry(db, found.inquiry, { status: form.data.status as InquiryStatus, assigneeId: form.data.assigneeId }, actor(request), shop.clock(), request.ip);
    return reply.code(303).redirect(`/admin/inquiries/${found.inquiry.id}?done=updated`);
  });

  app.post<{ Params: { id: string } }>('/inquiries/:id/reply', async (request, reply) => {
    const id = Id.safeParse(request.params.id);
    const found = id.success ? await loadInquiry(db, id.data) : undefined;
    if (!found) return reply.callNotFound();
    const body = typeof (request.body as Record<string, unknown> | undefined)?.body === 'string' ? ((request.body as Record<string, string>).body ?? '').slice(0, 10_000) : '';
    const form = ReplyForm.safeParse({ body });
    if (!form.success) return detail(request, reply, found.inquiry.id, { error: inquiryMessages(request.locale).admin.invalid, replyText: blankCardNumbers({ body }).body }, 400);
    await replyToInquiry(deps(request), found.inquiry, form.data.body, actor(request), request.ip);
    return reply.code(303).redirect(`/admin/inquiries/${found.inquiry.id}?done=replied`);
  });

  async function cannedPage(request: FastifyRequest, reply: FastifyReply, opts: { error?: string } = {}, status = 200) {
    const ctx = adminViewContext(request, reply);
    const m = inquiryMessages(ctx.locale).admin;
    const canned = await listCannedAnswers(db);
    const fields = (c?: { title: string; body_ja: string; body_en: string }, suffix = 'new') => (
      <>
        <CsrfField ctx={ctx} />
        <label for={`title-${suffix}`}>{m.cannedTitle}</label><input id={`title-${suffix}`} name="title" maxlength={100} value={c?.title ?? ''} />
        <label for={`ja-${suffix}`}>{m.cannedJa}</label><textarea id={`ja-${suffix}`} name="body_ja" rows={5}>{c?.body_ja ?? ''}</textarea>
        <label for={`en-${suffix}`}>{m.cannedEn}</label><textarea id={`en-${suffix}`} name="body_en" rows={5}>{c?.body_en ?? ''}</textarea>
        <button type="submit">{m.saveCanned}</button>
      </>
    );
    return sendAdminPage(reply, ctx, m.canned, (
      <section>
        <h1>{m.canned}</h1>
        <p><a href="/admin/inquiries">{m.title}</a></p>
        {opts.error ? <p class="error-summary" role="alert">{opts.error}</p> : null}
        {canned.map((c) => <form method="post" action={`/admin/inquiries/canned/${c.id}`}>{fields(c, String(c.id))}</form>)}
        <h2>{m.newCanned}</h2>
        <form method="post" action="/admin/inquiries/canned">{fields()}</form>
      </section>
    ), status);
  }

  app.get('/inquiries/canned', (request, reply) => cannedPage(request, reply));

  app.post('/inquiries/canned', async (request, reply) => {
    const form = CannedForm.safeParse(request.body ?? {});
    if (!form.success) return cannedPage(request, reply, { error: inquiryMessages(request.locale).admin.invalid }, 400);
    await saveCannedAnswer(db, undefined, form.data, actor(request), shop.clock(), request.ip);
    return reply.code(303).redirect('/admin/inquiries/canned');
  });

  app.post<{ Params: { id: string } }>('/inquiries/canned/:id', async (request, reply) => {
    const id = Id.safeParse(request.params.id);
    if (!id.success) return reply.callNotFound();
    const form = CannedForm.safeParse(request.body ?? {});
    if (!form.success) return cannedPage(request, reply, { error: inquiryMessages(request.locale).admin.invalid }, 400);
    if (!(await saveCannedAnswer(db, id.data, form.data, actor(request), shop.clock(), request.ip))) return reply.callNotFound();
    return reply.code(303).redirect('/admin/inquiries/canned');
  });
}
