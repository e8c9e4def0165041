// Links to the legal pages: in every storefront footer (page-layout.tsx) and beside the checkout's
// submit button, where Japanese shoppers look for the seller and the return terms before ordering.
import type { Locale } from '../i18n/locale.ts';
import type { LegalPageKind } from '../shop-settings/shop-settings-tables.ts';
import { legalMessages } from './legal-messages.ts';

export const LEGAL_PAGE_PATHS: Record<LegalPageKind, string> = {
  tokushoho: '/legal/tokushoho',
  privacy: '/legal/privacy',
  terms: '/legal/terms',
};

export function LegalFooterLinks({ locale }: { locale: Locale }) {
  const lm = legalMessages(locale);
  return (
    <nav aria-label={lm.footerLabel} class="legal-links">
      <ul class="nav-list">
        {(Object.keys(LEGAL_PAGE_PATHS) as LegalPageKind[]).map((p) => <li><a href={`${LEGAL_PAGE_PATHS[p]}?lang=${locale}`}>{lm.titles[p]}</a></li>)}
        <li><a href={`/contact?lang=${locale}`}>{lm.contact}</a></li>
      </ul>
    </nav>
  );
}

export function CheckoutLegalNotice({ locale }: { locale: Locale }) {
  const lm = legalMessages(locale);
  return (
    <p class="note checkout-legal-notice">
      {lm.checkoutNotice}
      <a href={`${LEGAL_PAGE_PATHS.tokushoho}?lang=${locale}`}>{lm.titles.tokushoho}</a>{lm.and}
      <a href={`${LEGAL_PAGE_PATHS.terms}?lang=${locale}`}>{lm.titles.terms}</a>{lm.and}
      <a href={`${LEGAL_PAGE_PATHS.privacy}?lang=${locale}`}>{lm.titles.privacy}</a>
      {lm.checkoutNoticeAfter}
    </p>
  );
}
