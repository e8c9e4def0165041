// The storefront's legal pages. The 特定商取引法 notice shows the seller items straight from the shop
// profile (so the settings page is the one place they are edited) and the owner's text for the rest.
import type { ViewContext } from '../layout/view-context.ts';
import type { ShopProfile } from '../shop-settings/shop-profile.ts';
import type { LegalPageKind } from '../shop-settings/shop-settings-tables.ts';
import { legalMessages } from './legal-messages.ts';
import { TOKUSHOHO_SECTIONS } from './legal-templates.ts';
import { fillPlaceholders } from './legal-texts.ts';
import { LegalText } from './legal-text-view.tsx';

export function LegalPage({ ctx, page, profile, sections, updatedAt }: { ctx: ViewContext; page: LegalPageKind; profile: ShopProfile; sections: Record<string, string>; updatedAt: string | undefined }) {
  const lm = legalMessages(ctx.locale);
  const fill = (t: string) => fillPlaceholders(t, profile, ctx.locale);
  const address = profile.address ? (profile.postalCode ? `〒${profile.postalCode} ${profile.address}` : profile.address) : undefined;
  const seller: [string, string | undefined][] = [
    [lm.seller.companyName, profile.companyName],
    [lm.seller.representative, profile.representative],
    [lm.seller.address, address],
    [lm.seller.phone, profile.phone ? (profile.hours ? `${profile.phone}（${lm.seller.hours}: ${profile.hours}）` : profile.phone) : undefined],
    [lm.seller.email, profile.email],
    [lm.seller.invoiceRegistrationNumber, profile.invoiceRegistrationNumber],
  ];
  return (
    <article class="legal-page" id={`legal-${page}`}>
      <h1>{lm.titles[page]}</h1>
      {page === 'tokushoho' ? (
        <dl class="legal-items">
          {seller.filter(([, v]) => v).map(([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>)}
          {TOKUSHOHO_SECTIONS.map((s) => <><dt>{lm.sections[s]}</dt><dd><LegalText text={fill(sections[s] ?? '')} headingLevel={3} /></dd></>)}
        </dl>
      ) : <LegalText text={fill(sections.body ?? '')} />}
      <p>{lm.contactLead}<a href={`/contact?lang=${ctx.locale}`}>{lm.contact}</a>{lm.contactLeadAfter}</p>
      {updatedAt ? <p class="note">{lm.lastUpdated(updatedAt.slice(0, 10))}</p> : null}
    </article>
  );
}
