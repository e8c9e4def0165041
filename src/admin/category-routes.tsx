// /admin/categories (owner and staff, route-access.ts): create, rename, reorder, delete when empty.
// Registered inside the admin plugin, so the IP allow-list, session, role table and CSRF hooks apply.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adminDb } from './admin-tables.ts';
import { adminViewContext, sendAdminPage, signedInAccount } from './admin-view-context.ts';
import { CsrfField } from './views/admin-layout.tsx';
import { CARD_NUMBER_MESSAGE_EN, textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { localized } from '../layout/view-context.ts';
import { SLUG_PATTERN } from '../catalog/slug-from-name.ts';
import { createCategory, deleteCategory, listAdminCategories, moveCategory, renameCategory, type AdminCategoryRow, type CategoryChangeError } from './category-admin.ts';
import { categoryMessages, type CategoryMessages } from './category-messages.ts';
import { RowIdParam } from '../http/row-id.js';

const name = textWithoutCardNumber(z.string().trim().min(1).max(100));
const CategoryForm = z.object({
  nameJa: name,
  nameEn: name,
  slug: z.string().trim().max(80).regex(SLUG_PATTERN).optional().or(z.literal('').transform(() => undefined)),
});
const MoveForm = z.object({ direction: z.enum(['up', 'down']) });
const IdParams = z.object({ id: RowIdParam });

type Outcome = { notice?: string; error?: string; values?: Record<string, string> };

export async function categoryAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = adminDb(shop.db.db);
  const actor = (request: FastifyRequest) => ({ account: signedInAccount(request), ip: request.ip, now: shop.clock() });

  async function page(request: FastifyRequest, reply: FastifyReply, outcome: Outcome = {}, status = 200) {
    const ctx = adminViewContext(request, reply);
    const m = categoryMessages(ctx.locale);
    const rows = await listAdminCategories(db);
    return sendAdminPage(reply, ctx, m.title, <CategoriesPage ctx={ctx} m={m} rows={rows} outcome={outcome} />, status);
  }

  const refused = (r: z.ZodSafeParseResult<unknown>): 'cardNumber' | 'invalid' =>
    !r.success && r.error.issues.some((i) => i.message === CARD_NUMBER_MESSAGE_EN) ? 'cardNumber' : 'invalid';
  const errorOf = (request: FastifyRequest, e: CategoryChangeError | 'cardNumber' | 'invalid') => categoryMessages(request.locale).errors[e];
  const statusOf = (e: CategoryChangeError) => (e === 'CATEGORY_NOT_FOUND' ? 404 : 409);
  const done = (reply: FastifyReply, what: 'saved' | 'deleted') => reply.code(303).redirect(`/admin/categories?${what}=1`);

  app.get('/categories', async (request, reply) => {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const m = categoryMessages(request.locale);
    return page(request, reply, q.saved === '1' ? { notice: m.saved } : q.deleted === '1' ? { notice: m.deleted } : {});
  });

  app.post('/categories', async (request, reply) => {
    const form = CategoryForm.safeParse(request.body ?? {});
    // What the merchant typed comes back, except a refused field.
    const typed = (k: string) => { const v = (request.body as Record<string, unknown> | undefined)?.[k]; return typeof v === 'string' && !(form.error?.issues.some((i) => i.path[0] === k)) ? v.slice(0, 100) : ''; };
    if (!form.success) return page(request, reply, { error: errorOf(request, refused(form)), values: { nameJa: typed('nameJa'), nameEn: typed('nameEn'), slug: typed('slug') } }, 400);
    const r = await createCategory(db, { ...form.data, slug: form.data.slug }, actor(request));
    if (!r.ok) return page(request, reply, { error: errorOf(request, r.error), values: { nameJa: form.data.nameJa, nameEn: form.data.nameEn, slug: form.data.slug ?? '' } }, statusOf(r.error));
    shop.catalog.invalidate();
    return done(reply, 'saved');
  });

  app.post('/categories/:id', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const form = CategoryForm.safeParse(request.body ?? {});
    if (!form.success) return page(request, reply, { error: errorOf(request, refused(form)) }, 400);
    const current = await db.selectFrom('categories').where('id', '=', params.data.id).select('slug').executeTakeFirst();
    if (!current) return reply.callNotFound();
    // An empty URL name keeps the current one: links to the category page stay valid.
    const r = await renameCategory(db, params.data.id, { ...form.data, slug: form.data.slug ?? current.slug }, actor(request));
    if (!r.ok) return page(request, reply, { error: errorOf(request, r.error) }, statusOf(r.error));
    shop.catalog.invalidate();
    return done(reply, 'saved');
  });

  app.post('/categories/:id/move', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    const form = MoveForm.safeParse(request.body ?? {});
    if (!params.success) return reply.callNotFound();
    if (!form.success) return page(request, reply, { error: errorOf(request, 'invalid') }, 400);
    const r = await moveCategory(db, params.data.id, form.data.direction, actor(request));
    if (!r.ok) return page(request, reply, { error: errorOf(request, r.error) }, statusOf(r.error));
    shop.catalog.invalidate();
    return done(reply, 'saved');
  });

  app.post('/categories/:id/delete', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const r = await deleteCategory(db, params.data.id, actor(request));
    if (!r.ok) return page(request, reply, { error: errorOf(request, r.error) }, statusOf(r.error));
    shop.catalog.invalidate();
    return done(reply, 'deleted');
  });
}

function CategoriesPage({ ctx, m, rows, outcome }: { ctx: ReturnType<typeof adminViewContext>; m: CategoryMessages; rows: AdminCategoryRow[]; outcome: Outcome }) {
  const v = outcome.values ?? {};
  return (
    <section>
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      {outcome.notice ? <p class="notice" role="status">{outcome.notice}</p> : null}
      {outcome.error ? <p class="error-summary" role="alert">{outcome.error}</p> : null}
      <table class="cart-table">
        <caption class="visually-hidden">{m.title}</caption>
        <thead><tr><th scope="col">{m.name}</th><th scope="col">{m.products}</th><th scope="col">{m.order}</th><th scope="col">{m.actions}</th></tr></thead>
        <tbody>
          {rows.map((c, i) => {
            const label = localized(ctx.locale, c.name_ja, c.name_en);
            return (
              <tr>
                <th scope="row">
                  <form method="post" action={`/admin/categories/${c.id}`} class="inline-form" aria-label={m.renameOf(label)}>
                    <CsrfField ctx={ctx} />
                    <label for={`nameJa-${c.id}`}>{m.nameJa}</label>
                    <input id={`nameJa-${c.id}`} name="nameJa" value={c.name_ja} required maxLength={100} />
                    <label for={`nameEn-${c.id}`}>{m.nameEn}</label>
                    <input id={`nameEn-${c.id}`} name="nameEn" value={c.name_en} required maxLength={100} />
                    <label for={`slug-${c.id}`}>{m.slug}</label>
                    <input id={`slug-${c.id}`} name="slug" value={c.slug} pattern="[a-z0-9]+(-[a-z0-9]+)*" maxLength={80} />
                    <button type="submit">{m.save}</button>
                  </form>
                </th>
                <td>{c.products}</td>
                <td>
                  <form method="post" action={`/admin/categories/${c.id}/move`} class="inline-form">
                    <CsrfField ctx={ctx} />
                    <button type="submit" name="direction" value="up" disabled={i === 0} aria-label={m.moveUp(label)}>{m.up}</button>
                    <button type="submit" name="direction" value="down" disabled={i === rows.length - 1} aria-label={m.moveDown(label)}>{m.down}</button>
                  </form>
                </td>
                <td>
                  {c.products === 0 ? (
                    <form method="post" action={`/admin/categories/${c.id}/delete`} class="inline-form">
                      <CsrfField ctx={ctx} />
                      <button type="submit" aria-label={m.deleteOf(label)}>{m.delete}</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>{m.create}</h2>
      <form method="post" action="/admin/categories">
        <CsrfField ctx={ctx} />
        <div class="field"><label for="nameJa">{m.nameJa}</label><input id="nameJa" name="nameJa" value={v.nameJa ?? ''} required maxLength={100} /></div>
        <div class="field"><label for="nameEn">{m.nameEn}</label><input id="nameEn" name="nameEn" value={v.nameEn ?? ''} required maxLength={100} /></div>
        <div class="field"><label for="slug">{m.slugHint}</label><input id="slug" name="slug" value={v.slug ?? ''} pattern="[a-z0-9]+(-[a-z0-9]+)*" maxLength={80} /></div>
        <button type="submit">{m.add}</button>
      </form>
    </section>
  );
}
