// /admin/settings: the shop's name, seller, contact, invoice registration, zone, tax display, bank
// account and logo in one form; re-rendered with a message under each refused field and a summary
// linking to them, in form order.
import type { ComponentChildren } from 'preact';
import { CsrfField, type AdminViewContext } from '../admin/views/admin-layout.tsx';
import { accessFor, roleMayUse } from '../admin/route-access.ts';
import { LEGAL_PAGES } from './shop-settings-tables.ts';
import { settingsMessages } from './settings-messages.ts';
import type { SettingsField, SettingsFieldError, SettingsFormValues } from './shop-settings-form.ts';
import { legalMessages } from '../legal-pages/legal-messages.ts';
import type { LegalNoticeItem } from './shop-profile.ts';

export const SETTINGS_PATHS = { shop: '/admin/settings', legal: '/admin/settings/legal/tokushoho', shipping: '/admin/settings/shipping', payments: '/admin/settings/payments' } as const;

/** The settings area's own links (shop, legal texts, shipping, payments), on each of its pages. */
export function SettingsNav({ ctx, current }: { ctx: AdminViewContext; current: keyof typeof SETTINGS_PATHS }) {
  const sm = settingsMessages(ctx.locale);
  return (
    <nav aria-label={sm.subnav.label} class="settings-nav">
      <ul class="nav-list">
        {(Object.keys(SETTINGS_PATHS) as (keyof typeof SETTINGS_PATHS)[]).map((k) => (
          <li><a href={SETTINGS_PATHS[k]} aria-current={k === current ? 'page' : undefined}>{sm.subnav[k]}</a></li>
        ))}
      </ul>
    </nav>
  );
}

/** Everyone but the owner is told to ask; the owner gets the link to the settings page. */
export function LegalNoticeWarning({ ctx, missing }: { ctx: AdminViewContext; missing: LegalNoticeItem[] }) {
  if (missing.length === 0) return null;
  const w = settingsMessages(ctx.locale).warning;
  const access = accessFor('GET', SETTINGS_PATHS.shop);
  const mayFix = !!ctx.account && access !== undefined && roleMayUse(access, ctx.account.role);
  return (
    <div class="error-summary legal-notice-warning" role="region" aria-labelledby="legal-notice-warning-title">
      <h2 id="legal-notice-warning-title">{w.title}</h2>
      <p>{w.lead}</p>
      <ul>{missing.map((i) => <li>{w.items[i]}</li>)}</ul>
      <p>{mayFix ? <a href={SETTINGS_PATHS.shop}>{w.fix}</a> : w.ask}</p>
    </div>
  );
}

export function ShopSettingsPage({ ctx, values, errors, logoPath, notice }: {
  ctx: AdminViewContext; values: SettingsFormValues; errors: SettingsFieldError[]; logoPath: string | undefined; notice?: string | undefined;
}) {
  const sm = settingsMessages(ctx.locale);
  const lm = legalMessages(ctx.locale);
  const errorOf = (f: SettingsField) => errors.find((e) => e.field === f);
  const message = (e: SettingsFieldError) => sm.errors.message(e.code, sm.labels[e.field], e.max);
  const hintOf = (f: SettingsField): string | undefined => (sm.hints as Partial<Record<SettingsField, string>>)[f];
  const described = (f: SettingsField) => {
    const by = [hintOf(f) ? `${f}-hint` : '', errorOf(f) ? `${f}-error` : ''].filter(Boolean).join(' ');
    return { 'aria-invalid': errorOf(f) ? 'true' : undefined, 'aria-describedby': by || undefined } as const;
  };
  const wrap = (f: SettingsField, control: ComponentChildren, label = true) => {
    const e = errorOf(f);
    return (
      <div class={e ? 'field has-error' : 'field'}>
        {label ? <label for={f}>{sm.labels[f]}</label> : null}
        {hintOf(f) ? <span class="hint" id={`${f}-hint`}>{hintOf(f)}</span> : null}
        {control}
        {e ? <span class="field-error" id={`${f}-error`}>{message(e)}</span> : null}
      </div>
    );
  };
  const text = (f: Exclude<SettingsField, 'logo' | 'invoiceRegistrant' | 'taxDisplay' | 'timeZone' | 'bankTransferAccount'>, opts: { type?: 'text' | 'tel' | 'email'; max: number; autocomplete?: string }) =>
    wrap(f, <input id={f} name={f} type={(opts.type ?? 'text') as 'text'} value={values[f]} maxlength={opts.max} autocomplete={opts.autocomplete} {...described(f)} />);
  const radios = (f: 'invoiceRegistrant' | 'taxDisplay', options: Record<string, string>) => {
    const e = errorOf(f);
    return (
      <fieldset id={f} class={e ? 'field has-error' : 'field'} aria-describedby={e ? `${f}-error` : undefined}>
        <legend>{sm.labels[f]}</legend>
        {Object.entries(options).map(([v, label]) => (
          <div class="checkbox"><input type="radio" id={`${f}-${v}`} name={f} value={v} checked={values[f] === v} /><label for={`${f}-${v}`}>{label}</label></div>
        ))}
        {e ? <span class="field-error" id={`${f}-error`}>{message(e)}</span> : null}
      </fieldset>
    );
  };
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone')];
  if (values.timeZone && !zones.includes(values.timeZone)) zones.unshift(values.timeZone);
  return (
    <section>
      <h1>{sm.title}</h1>
      <SettingsNav ctx={ctx} current="shop" />
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {errors.length ? (
        <div class="error-summary" role="alert">
          <p>{sm.errors.summary}</p>
          <ul>{errors.map((e) => <li><a href={`#${e.field}`}>{message(e)}</a></li>)}</ul>
          <p>{sm.errors.logoAgain}</p>
        </div>
      ) : null}
      <p>{sm.intro}</p>
      <form method="post" action="/admin/settings" enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        <h2>{sm.sections.shop}</h2>
        {text('shopName', { max: 100, autocomplete: 'organization' })}
        {text('companyName', { max: 100 })}
        {text('representative', { max: 100, autocomplete: 'off' })}
        <h2>{sm.sections.contact}</h2>
        {text('postalCode', { max: 10, autocomplete: 'postal-code' })}
        {text('address', { max: 200, autocomplete: 'street-address' })}
        {text('phone', { type: 'tel', max: 30, autocomplete: 'tel' })}
        {text('email', { type: 'email', max: 254, autocomplete: 'email' })}
        {text('hours', { max: 100 })}
        <h2>{sm.sections.invoice}</h2>
        {radios('invoiceRegistrant', sm.registrant)}
        {text('invoiceRegistrationNumber', { max: 30, autocomplete: 'off' })}
        <h2>{sm.sections.display}</h2>
        {wrap('timeZone', <select id="timeZone" name="timeZone" {...described('timeZone')}>{zones.map((z) => <option value={z} selected={z === values.timeZone}>{z}</option>)}</select>)}
        {radios('taxDisplay', sm.taxDisplay)}
        <h2>{sm.sections.bank}</h2>
        {wrap('bankTransferAccount', <textarea id="bankTransferAccount" name="bankTransferAccount" rows={5} maxlength={500} {...described('bankTransferAccount')}>{values.bankTransferAccount}</textarea>)}
        <h2>{sm.sections.logo}</h2>
        {logoPath ? <p><img class="shop-logo-preview" src={`/media/${logoPath}`} alt={sm.currentLogo} height={64} /></p> : null}
        {wrap('logo', <input id="logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp" {...described('logo')} />)}
        {logoPath ? <div class="field checkbox"><input id="removeLogo" name="removeLogo" type="checkbox" value="on" checked={values.removeLogo === 'on'} /><label for="removeLogo">{sm.removeLogo}</label></div> : null}
        <button type="submit">{sm.save}</button>
      </form>
      <h2>{sm.legalPages}</h2>
      <p>{sm.legalPagesIntro}</p>
      <ul>{LEGAL_PAGES.map((p) => <li><a href={`/admin/settings/legal/${p}`}>{lm.titles[p]}</a></li>)}</ul>
    </section>
  );
}
