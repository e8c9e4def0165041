// The texts of the legal pages: the owner's saved text per page, section and language, or the
// default template (legal-templates.ts) where none is saved. Saving is one transaction with its
// audit entry (before and after); an emptied text goes back to the template.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Locale } from '../i18n/locale.ts';
import { LOCALES } from '../i18n/locale.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { containsCardNumber } from '../card-data/card-number-guard.ts';
import type { ShopProfile } from '../shop-settings/shop-profile.ts';
import { shopSettingsDb, type LegalPageKind } from '../shop-settings/shop-settings-tables.ts';
import { defaultLegalText, LEGAL_PAGE_SECTIONS } from './legal-templates.ts';

export const LEGAL_TEXT_MAX = 20_000;

/** Saved texts of a page: `section:locale` → body. */
export async function savedLegalTexts(db: Kysely<any>, page: LegalPageKind): Promise<Map<string, { body: string; updatedAt: string }>> {
  const rows = await shopSettingsDb(db).selectFrom('legal_texts').select(['section', 'locale', 'body', 'updated_at']).where('page', '=', page).execute();
  return new Map(rows.map((r) => [`${r.section}:${r.locale}`, { body: r.body, updatedAt: r.updated_at }]));
}

/** What a page shows in one language: each section's saved text or its template, and when it was last saved. */
export async function effectiveLegalTexts(db: Kysely<any>, page: LegalPageKind, locale: Locale): Promise<{ sections: Record<string, string>; updatedAt: string | undefined }> {
  const saved = await savedLegalTexts(db, page);
  const sections: Record<string, string> = {};
  let updatedAt: string | undefined;
  for (const s of LEGAL_PAGE_SECTIONS[page]) {
    const row = saved.get(`${s}:${locale}`);
    sections[s] = row?.body ?? defaultLegalText(page, s, locale);
    if (row && (!updatedAt || row.updatedAt > updatedAt)) updatedAt = row.updatedAt;
  }
  return { sections, updatedAt };
}

const PLACEHOLDERS = ['shopName', 'companyName', 'representative', 'address', 'phone', 'email', 'hours'] as const;

/** Fills {shopName} etc. from the profile; an unset value reads as "not set" so the gap is visible. */
export function fillPlaceholders(text: string, profile: ShopProfile, locale: Locale): string {
  const unset = locale === 'ja' ? '（未設定）' : '(not set)';
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) return whole;
    const v = name === 'address' && profile.postalCode && profile.address ? `〒${profile.postalCode} ${profile.address}` : profile[name as (typeof PLACEHOLDERS)[number]];
    return v?.trim() ? v : unset;
  });
}

/** The editor's form: one textarea per section and language, named `section.locale`. */
export function legalTextFieldName(section: string, locale: Locale): string {
  return `${section}.${locale}`;
}

export type LegalTextFieldError = { field: string; code: 'cardNumber' | 'tooLong' };

const text = z.string().catch('').transform((s) => s.replace(/\u0000/g, '').replace(/\r\n?/g, '\n').trim());

export function parseLegalTextsForm(page: LegalPageKind, body: unknown): { values: Record<string, string>; errors: LegalTextFieldError[] } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  const errors: LegalTextFieldError[] = [];
  for (const s of LEGAL_PAGE_SECTIONS[page]) {
    for (const l of LOCALES) {
      const name = legalTextFieldName(s, l);
      const v = text.parse(b[name]);
      if (containsCardNumber(v)) { errors.push({ field: name, code: 'cardNumber' }); values[name] = ''; continue; }
      if (v.length > LEGAL_TEXT_MAX) errors.push({ field: name, code: 'tooLong' });
      values[name] = v.slice(0, LEGAL_TEXT_MAX + 1);
    }
  }
  return { values, errors };
}

/**
 * Stores the page's texts. A text equal to its template, or empty, is not stored (the template —
 * which may improve with a later version — applies). Returns whether anything changed.
 */
export async function saveLegalTexts(db: Kysely<any>, page: LegalPageKind, values: Record<string, string>, by: { actor: string; ip: string; at: Date }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const d = shopSettingsDb(trx);
    const before = await savedLegalTexts(trx, page);
    const after = new Map<string, string>();
    for (const s of LEGAL_PAGE_SECTIONS[page]) {
      for (const l of LOCALES) {
        const v = values[legalTextFieldName(s, l)] ?? '';
        if (v && v !== defaultLegalText(page, s, l)) after.set(`${s}:${l}`, v);
      }
    }
    const keys = new Set([...before.keys(), ...after.keys()]);
    const changed = [...keys].filter((k) => before.get(k)?.body !== after.get(k));
    if (changed.length === 0) return false;
    for (const k of changed) {
      const [section, locale] = k.split(':') as [string, Locale];
      const v = after.get(k);
      await d.deleteFrom('legal_texts').where('page', '=', page).where('section', '=', section).where('locale', '=', locale).execute();
      if (v !== undefined) await d.insertInto('legal_texts').values({ page, section, locale, body: v, updated_by: by.actor, updated_at: by.at.toISOString() }).execute();
    }
    const snapshot = (m: Map<string, string | undefined>) => Object.fromEntries(changed.map((k) => [k, m.get(k) ?? null]));
    await appendAuditEntry(trx, {
      actor: by.actor, action: 'settings.legal_text_updated', target: `legal_page:${page}`, ip: by.ip,
      before: snapshot(new Map([...before].map(([k, v]) => [k, v.body]))), after: snapshot(after), at: by.at,
    });
    return true;
  });
}
