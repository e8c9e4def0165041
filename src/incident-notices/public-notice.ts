// The public notice (お詫びとお知らせ) of an incident at /notice/{slug}: written by the merchant in
// Japanese and English, published and unpublished from the incident, audited. While one is
// published every storefront page links to it from the header (src/layout/page-layout.tsx).
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { noticeDb, type PublicNotice } from './notice-tables.ts';

export const PublicNoticeForm = z.object({
  slug: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{2,79}$/, { error: 'slug' }),
  title_ja: textWithoutCardNumber(z.string().trim().min(1).max(200)),
  title_en: textWithoutCardNumber(z.string().trim().min(1).max(200)),
  body_ja: textWithoutCardNumber(z.string().trim().min(1).max(50_000)),
  body_en: textWithoutCardNumber(z.string().trim().min(1).max(50_000)),
});
export type PublicNoticeInput = z.infer<typeof PublicNoticeForm>;

export type SaveNoticeResult = { ok: true } | { ok: false; error: 'SLUG_TAKEN' };

export async function savePublicNotice(db: Kysely<any>, incidentId: number, input: PublicNoticeInput, actor: string, at: Date, ip?: string): Promise<SaveNoticeResult> {
  return db.transaction().execute(async (trx) => {
    const d = noticeDb(trx);
    const taken = await d.selectFrom('public_notices').select('incident_id').where('slug', '=', input.slug).where('incident_id', '!=', incidentId).executeTakeFirst();
    if (taken) return { ok: false as const, error: 'SLUG_TAKEN' as const };
    const before = await d.selectFrom('public_notices').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
    if (before) await d.updateTable('public_notices').set({ ...input, updated_at: at.toISOString() }).where('incident_id', '=', incidentId).execute();
    else await d.insertInto('public_notices').values({ incident_id: incidentId, ...input, published_at: null, unpublished_at: null, updated_at: at.toISOString() }).execute();
    await appendAuditEntry(trx, { actor, action: 'incident.public_notice_saved', target: `incident:${incidentId}`, ...(ip ? { ip } : {}), before: before ? { slug: before.slug, title_ja: before.title_ja } : undefined, after: { slug: input.slug, title_ja: input.title_ja, title_en: input.title_en }, at });
    return { ok: true as const };
  });
}

/** Publishes (again) or takes down the incident's notice; false when there is none to change. */
export async function setPublicNoticePublished(db: Kysely<any>, incidentId: number, published: boolean, actor: string, at: Date, ip?: string): Promise<boolean> {
  const changed = await db.transaction().execute(async (trx) => {
    const d = noticeDb(trx);
    const r = await d.updateTable('public_notices')
      .set(published ? { published_at: at.toISOString(), unpublished_at: null } : { unpublished_at: at.toISOString() })
      .where('incident_id', '=', incidentId).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await appendAuditEntry(trx, { actor, action: published ? 'incident.public_notice_published' : 'incident.public_notice_unpublished', target: `incident:${incidentId}`, ...(ip ? { ip } : {}), at });
    return true;
  });
  if (changed) activeNoticeCache.delete(db);
  return changed;
}

export function isPublished(n: Pick<PublicNotice, 'published_at' | 'unpublished_at'>): boolean {
  return n.published_at !== null && n.unpublished_at === null;
}

export async function loadPublicNotice(db: Kysely<any>, incidentId: number): Promise<PublicNotice | undefined> {
  return noticeDb(db).selectFrom('public_notices').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
}

/** The notice at /notice/{slug}, only while published. */
export async function publishedNoticeBySlug(db: Kysely<any>, slug: string): Promise<PublicNotice | undefined> {
  return noticeDb(db).selectFrom('public_notices').selectAll().where('slug', '=', slug)
    .where('published_at', 'is not', null).where('unpublished_at', 'is', null).executeTakeFirst();
}

export interface ActiveNoticeLink {
  slug: string;
  title_ja: string;
  title_en: string;
}

/**
 * Every storefront page asks for the header link: cached for a second per database handle (other
 * instances see a publish within that second; this one at once, the cache is dropped on change).
 */
const activeNoticeCache = new WeakMap<object, { at: number; value: ActiveNoticeLink | undefined }>();
const CACHE_MS = 1000;

export async function activeNoticeLink(db: Kysely<any>, nowMs = Date.now()): Promise<ActiveNoticeLink | undefined> {
  const cached = activeNoticeCache.get(db);
  if (cached && nowMs - cached.at < CACHE_MS) return cached.value;
  const value = await noticeDb(db).selectFrom('public_notices').select(['slug', 'title_ja', 'title_en'])
    .where('published_at', 'is not', null).where('unpublished_at', 'is', null)
    .orderBy('published_at', 'desc').limit(1).executeTakeFirst();
  activeNoticeCache.set(db, { at: nowMs, value });
  return value;
}

/** The incident whose notice is published (an inquiry "about the notice" is filed under it). */
export async function activeNoticeIncidentId(db: Kysely<any>): Promise<number | undefined> {
  const r = await noticeDb(db).selectFrom('public_notices').select('incident_id')
    .where('published_at', 'is not', null).where('unpublished_at', 'is', null).orderBy('published_at', 'desc').limit(1).executeTakeFirst();
  return r?.incident_id;
}
