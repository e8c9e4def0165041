// /notice/{slug}: the incident's public notice (お詫びとお知らせ), only while published. Stays
// reachable while the storefront is stopped (the kill switch exempts /notice/* and /contact).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../layout/page-layout.tsx';
import { buildViewContext } from '../http/view-context-builder.ts';
import { formatDateTime } from '../i18n/locale.ts';
import { publishedNoticeBySlug } from './public-notice.ts';
import { noticeMessages } from './notice-messages.ts';
import { PlainText } from './notice-text.tsx';

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{2,79}$/);

export async function publicNoticeRoutes(app: FastifyInstance) {
  const db = app.shop.db.db;
  app.get<{ Params: { slug: string } }>('/notice/:slug', async (request, reply) => {
    const slug = Slug.safeParse(request.params.slug);
    const notice = slug.success ? await publishedNoticeBySlug(db, slug.data) : undefined;
    if (!notice) return reply.callNotFound();
    const ctx = await buildViewContext(request, reply);
    const m = noticeMessages(ctx.locale);
    const title = ctx.locale === 'ja' ? notice.title_ja : notice.title_en;
    const body = ctx.locale === 'ja' ? notice.body_ja : notice.body_en;
    return reply.type('text/html; charset=utf-8').send(renderPage(ctx, { title, description: `${m.heading}: ${title}` }, (
      <article class="notice-letter">
        <p class="note">{m.heading}</p>
        <h1>{title}</h1>
        <p class="note">{m.publishedAt}: <time datetime={notice.published_at!}>{formatDateTime(notice.published_at!, ctx.locale, ctx.timeZone)}</time></p>
        <PlainText text={body} />
        <p><a href={`/contact?topic=incident&lang=${ctx.locale}`}>{m.contact}</a></p>
      </article>
    )));
  });
}
