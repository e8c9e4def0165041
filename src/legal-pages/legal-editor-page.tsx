// /admin/settings/legal/:page: one textarea per section and language, the seller items of the
// 特定商取引法 notice as the shop settings hold them (edited there, not here), and a preview of
// what the store page will show, placeholders filled from the settings.
import { CsrfField, type AdminViewContext } from '../admin/views/admin-layout.tsx';
import { LOCALES, type Locale } from '../i18n/locale.ts';
import type { ShopProfile } from '../shop-settings/shop-profile.ts';
import { LEGAL_PAGES, type LegalPageKind } from '../shop-settings/shop-settings-tables.ts';
import { SettingsNav } from '../shop-settings/settings-page.tsx';
import { legalMessages } from './legal-messages.ts';
import { defaultLegalText, LEGAL_PAGE_SECTIONS, type TokushohoSection } from './legal-templates.ts';
import { fillPlaceholders, legalTextFieldName, LEGAL_TEXT_MAX, type LegalTextFieldError } from './legal-texts.ts';
import { LEGAL_PAGE_PATHS } from './legal-links.tsx';
import { LegalText } from './legal-text-view.tsx';

/** The id of a textarea (a `.` in an id would need escaping in every selector). */
export const legalTextFieldId = (section: string, locale: Locale) => `text-${section}-${locale}`;

export function LegalEditorPage({ ctx, page, profile, values, errors, notice, preview }: {
  ctx: AdminViewContext; page: LegalPageKind; profile: ShopProfile; values: Record<string, string>; errors: LegalTextFieldError[];
  notice?: string | undefined; preview: boolean;
}) {
  const lm = legalMessages(ctx.locale);
  const e = lm.editor;
  const sectionName = (s: string) => (s === 'body' ? e.body : lm.sections[s as TokushohoSection]);
  const labelOf = (field: string) => {
    const [s, l] = field.split('.') as [string, Locale];
    return e.fieldLabel(sectionName(s), e.language[l]);
  };
  const message = (err: LegalTextFieldError) => (err.code === 'cardNumber' ? e.errors.cardNumber(labelOf(err.field)) : e.errors.tooLong(labelOf(err.field), LEGAL_TEXT_MAX));
  const sections = LEGAL_PAGE_SECTIONS[page];
  // An emptied text shows the template on the store, so the preview shows it too.
  const shown = (s: string, l: Locale) => fillPlaceholders(values[legalTextFieldName(s, l)] || defaultLegalText(page, s, l), profile, l);
  const seller: [string, string | undefined][] = [
    [lm.seller.companyName, profile.companyName], [lm.seller.representative, profile.representative],
    [lm.seller.address, profile.address ? (profile.postalCode ? `〒${profile.postalCode} ${profile.address}` : profile.address) : undefined],
    [lm.seller.phone, profile.phone], [lm.seller.email, profile.email], [lm.seller.invoiceRegistrationNumber, profile.invoiceRegistrationNumber],
  ];
  return (
    <section>
      <h1>{e.title(lm.titles[page])}</h1>
      <SettingsNav ctx={ctx} current="legal" />
      <nav aria-label={lm.footerLabel}>
        <ul class="nav-list">
          {LEGAL_PAGES.map((p) => <li><a href={`/admin/settings/legal/${p}`} aria-current={p === page ? 'page' : undefined}>{lm.titles[p]}</a></li>)}
        </ul>
      </nav>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {errors.length ? (
        <div class="error-summary" role="alert">
          <p>{e.errors.summary}</p>
          <ul>{errors.map((err) => { const [s, l] = err.field.split('.') as [string, Locale]; return <li><a href={`#${legalTextFieldId(s, l)}`}>{message(err)}</a></li>; })}</ul>
        </div>
      ) : null}
      <p>{e.intro}</p>
      <p><a href={`${LEGAL_PAGE_PATHS[page]}?lang=${ctx.locale}`}>{e.viewPage}</a></p>
      {page === 'tokushoho' ? (
        <>
          <p>{e.sellerIntro} <a href="/admin/settings">{e.sellerLink}</a></p>
          <dl class="legal-items">{seller.map(([k, v]) => <><dt>{k}</dt><dd>{v ?? e.notSet}</dd></>)}</dl>
        </>
      ) : null}
      <form method="post" action={`/admin/settings/legal/${page}`} novalidate>
        <CsrfField ctx={ctx} />
        <p class="hint" id="markup-hint">{e.markupHint}</p>
        {sections.map((s) => LOCALES.map((l) => {
          const name = legalTextFieldName(s, l);
          const id = legalTextFieldId(s, l);
          const err = errors.find((x) => x.field === name);
          return (
            <div class={err ? 'field has-error' : 'field'}>
              <label for={id}>{e.fieldLabel(sectionName(s), e.language[l])}</label>
              <textarea id={id} name={name} lang={l} rows={s === 'body' ? 20 : 5} maxlength={LEGAL_TEXT_MAX}
                aria-invalid={err ? 'true' : undefined} aria-describedby={err ? `markup-hint ${id}-error` : 'markup-hint'}>{values[name] ?? ''}</textarea>
              {err ? <span class="field-error" id={`${id}-error`}>{message(err)}</span> : null}
            </div>
          );
        }))}
        <div class="inline-form">
          <button type="submit" name="action" value="save">{e.save}</button>
          <button type="submit" name="action" value="preview" class="secondary">{e.preview}</button>
          <button type="submit" name="action" value="template" class="secondary">{e.useTemplate}</button>
        </div>
      </form>
      {preview ? LOCALES.map((l) => (
        <section class="legal-preview" lang={l} aria-labelledby={`preview-${l}`}>
          <h2 id={`preview-${l}`}>{e.previewTitle(e.language[l])}</h2>
          <p class="note">{e.previewNote}</p>
          {page === 'tokushoho' ? (
            <dl class="legal-items">
              {sections.map((s) => <><dt>{legalMessages(l).sections[s as TokushohoSection]}</dt><dd><LegalText text={shown(s, l)} headingLevel={3} /></dd></>)}
            </dl>
          ) : <LegalText text={shown('body', l)} headingLevel={3} />}
        </section>
      )) : null}
    </section>
  );
}
