// /admin/settings/legal/:page (owner only, route-access.ts): the texts of the legal pages in ja and
// en. One POST does three things by its button: preview (nothing stored), load the template into
// the form (nothing stored), save (one transaction with its audit entry, legal-texts.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { LOCALES } from '../i18n/locale.ts';
import { currentShopProfile } from '../shop-settings/shop-profile.ts';
import { LEGAL_PAGES, type LegalPageKind } from '../shop-settings/shop-settings-tables.ts';
import { legalMessages } from './legal-messages.ts';
import { defaultLegalText, LEGAL_PAGE_SECTIONS } from './legal-templates.ts';
import { legalTextFieldName, parseLegalTextsForm, saveLegalTexts, savedLegalTexts, type LegalTextFieldError } from './legal-texts.ts';
import { LegalEditorPage } from './legal-editor-page.tsx';

const PageParams = z.object({ page: z.enum(LEGAL_PAGES) });
const Action = z.enum(['save', 'preview', 'template']).catch('save');

/** The form as stored now: each saved text, or its template where none is saved. */
async function currentValues(db: FastifyInstance['shop']['db']['db'], page: LegalPageKind): Promise<Record<string, string>> {
  const saved = await savedLegalTexts(db, page);
  const values: Record<string, string> = {};
  for (const s of LEGAL_PAGE_SECTIONS[page]) for (const l of LOCALES) values[legalTextFieldName(s, l)] = saved.get(`${s}:${l}`)?.body ?? defaultLegalText(page, s, l);
  return values;
}

function templateValues(page: LegalPageKind): Record<string, string> {
  const values: Record<string, string> = {};
  for (const s of LEGAL_PAGE_SECTIONS[page]) for (const l of LOCALES) values[legalTextFieldName(s, l)] = defaultLegalText(page, s, l);
  return values;
}

export async function legalTextAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;

  async function editor(request: FastifyRequest, reply: FastifyReply, page: LegalPageKind, state: { values: Record<string, string>; errors?: LegalTextFieldError[]; notice?: string; preview?: boolean }, status = 200) {
    const ctx = adminViewContext(request, reply);
    const profile = await currentShopProfile(shop);
    const lm = legalMessages(ctx.locale);
    return sendAdminPage(reply, { ...ctx, shopName: profile.shopName }, lm.editor.title(lm.titles[page]), (
      <LegalEditorPage ctx={ctx} page={page} profile={profile} values={state.values} errors={state.errors ?? []} notice={state.notice} preview={state.preview ?? false} />
    ), status);
  }

  app.get('/settings/legal/:page', async (request, reply) => {
    const params = PageParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    const e = legalMessages(request.locale).editor;
    const notice = done === 'saved' ? e.saved : done === 'unchanged' ? e.unchanged : undefined;
    return editor(request, reply, params.data.page, { values: await currentValues(db, params.data.page), ...(notice ? { notice } : {}) });
  });

  app.post('/settings/legal/:page', async (request, reply) => {
    const params = PageParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const page = params.data.page;
    const action = Action.parse((request.body as Record<string, unknown> | undefined)?.action);
    const e = legalMessages(request.locale).editor;
    if (action === 'template') return editor(request, reply, page, { values: templateValues(page), notice: e.templateLoaded, preview: true });
    const form = parseLegalTextsForm(page, request.body);
    if (form.errors.length) return editor(request, reply, page, { values: form.values, errors: form.errors }, 400);
    if (action === 'preview') return editor(request, reply, page, { values: form.values, preview: true });
    const account = signedInAccount(request);
    const changed = await saveLegalTexts(db, page, form.values, { actor: `admin:${account.id}`, ip: request.ip, at: shop.clock() });
    return reply.code(303).redirect(`/admin/settings/legal/${page}?done=${changed ? 'saved' : 'unchanged'}`);
  });
}
