// GET /legal/tokushoho, /legal/privacy, /legal/terms: the legal pages, indexable, in ja/en.
// They stay reachable while the storefront is stopped (shop-pause/storefront-stop.ts): who the
// seller is and how to reach them matters most then.
import type { FastifyInstance } from 'fastify';
import { renderPage } from '../layout/page-layout.tsx';
import { buildViewContext } from '../http/view-context-builder.ts';
import { currentShopProfile } from '../shop-settings/shop-profile.ts';
import type { LegalPageKind } from '../shop-settings/shop-settings-tables.ts';
import { legalMessages } from './legal-messages.ts';
import { effectiveLegalTexts } from './legal-texts.ts';
import { LEGAL_PAGE_PATHS } from './legal-links.tsx';
import { LegalPage } from './legal-page-view.tsx';

export async function legalPageRoutes(app: FastifyInstance) {
  const shop = app.shop;
  for (const page of Object.keys(LEGAL_PAGE_PATHS) as LegalPageKind[]) {
    app.get(LEGAL_PAGE_PATHS[page], async (request, reply) => {
      const ctx = await buildViewContext(request, reply);
      const [profile, texts] = await Promise.all([currentShopProfile(shop), effectiveLegalTexts(shop.db.db, page, ctx.locale)]);
      const lm = legalMessages(ctx.locale);
      return reply.type('text/html; charset=utf-8')
        .send(renderPage(ctx, { title: lm.titles[page], description: lm.descriptions[page] }, <LegalPage ctx={ctx} page={page} profile={profile} sections={texts.sections} updatedAt={texts.updatedAt} />));
    });
  }
}
