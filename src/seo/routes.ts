import type { FastifyInstance } from 'fastify';
import { listCategories, listProductSlugs } from '../catalog/queries.ts';
import { LOCALES } from '../i18n/locale.ts';

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function seoRoutes(app: FastifyInstance) {
  const { config, db } = app.shop;

  app.get('/robots.txt', async (_request, reply) => {
    return reply.type('text/plain; charset=utf-8').send(
      ['User-agent: *', 'Disallow: /cart', 'Disallow: /checkout', 'Disallow: /orders', 'Disallow: /api/', `Sitemap: ${config.publicUrl}/sitemap.xml`, ''].join('\n'),
    );
  });

  app.get('/sitemap.xml', async (_request, reply) => {
    const [products, categories] = await Promise.all([listProductSlugs(db.db, app.shop.clock()), listCategories(db.db)]);
    const pages = [
      { path: '/', lastmod: undefined as string | undefined },
      ...categories.map((c) => ({ path: `/?category=${encodeURIComponent(c.slug)}`, lastmod: undefined })),
      ...products.map((p) => ({ path: `/products/${encodeURIComponent(p.slug)}`, lastmod: p.updated_at.slice(0, 10) })),
    ];
    const withLang = (path: string, l: string) => `${config.publicUrl}${path}${path.includes('?') ? '&' : '?'}lang=${l}`;
    const urls = pages.flatMap((p) => LOCALES.map((l) => [
      '  <url>',
      `    <loc>${xmlEscape(withLang(p.path, l))}</loc>`,
      ...(p.lastmod ? [`    <lastmod>${p.lastmod}</lastmod>`] : []),
      ...LOCALES.map((alt) => `    <xhtml:link rel="alternate" hreflang="${alt}" href="${xmlEscape(withLang(p.path, alt))}"/>`),
      '  </url>',
    ].join('\n')));
    return reply.type('application/xml; charset=utf-8').send(
      `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('\n')}\n</urlset>\n`,
    );
  });
}
