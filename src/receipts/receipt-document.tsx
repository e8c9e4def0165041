// 領収書 (one order) and 納品書 (a page per order) as standalone HTML for the PDF printer
// (src/pdf/html-to-pdf.ts): no scripts, no external resources, IPA Gothic named first.
// The receipt holds what a 適格請求書 (qualified invoice, 消費税法第57条の4) must: the seller and its
// registration number, the date, the items with the reduced-rate mark (※), the tax-inclusive total
// and the tax contained per rate (the order's stored order_tax_lines, rounded once per rate at
// checkout by src/tax), and the buyer's name. The delivery slip carries no price and no payment data.
import { renderToString } from 'preact-render-to-string';
import type { Order, OrderItem } from '../db/schema.ts';
import { formatYen, type Locale } from '../i18n/locale.ts';
import { localized } from '../layout/view-context.ts';
import { localDate } from '../incidents/legal-deadlines.ts';
import type { ShopProfile } from '../shop-settings/shop-profile.ts';
import { receiptMessagesEn } from './receipt-messages-en.ts';
import { receiptMessagesJa } from './receipt-messages-ja.ts';

const STYLE = `
  @page { size: A4; margin: 16mm 16mm; }
  body { font-family: "IPAGothic", "IPAゴシック", "IPAPGothic", "Noto Sans CJK JP", sans-serif; font-size: 10pt; line-height: 1.5; color: #000; margin: 0; }
  .sheet { break-after: page; }
  .sheet:last-child { break-after: auto; }
  h1 { font-size: 18pt; text-align: center; letter-spacing: 0.3em; margin: 0 0 6mm; }
  .reissue { display: inline-block; border: 1.5px solid #000; padding: 0 2mm; font-size: 11pt; letter-spacing: 0; margin-left: 3mm; vertical-align: middle; }
  .head { display: flex; justify-content: space-between; gap: 8mm; margin-bottom: 6mm; }
  .addressee { font-size: 14pt; border-bottom: 1px solid #000; padding-bottom: 1mm; min-width: 80mm; }
  .amount { font-size: 16pt; font-weight: bold; border: 1.5px solid #000; padding: 2mm 4mm; margin: 4mm 0; display: inline-block; }
  .facts { border-collapse: collapse; font-size: 9pt; }
  .facts th { text-align: left; font-weight: normal; padding-right: 3mm; }
  .seller { margin: 4mm 0; font-size: 9.5pt; }
  .seller-logo { display: block; max-height: 14mm; max-width: 50mm; margin-bottom: 2mm; }
  table.lines { width: 100%; border-collapse: collapse; margin-top: 4mm; }
  .lines th, .lines td { border: 1px solid #444; padding: 1.5mm 2mm; text-align: left; }
  .lines td.num, .lines th.num { text-align: right; }
  .lines thead th { background: #eee; }
  .note { font-size: 8.5pt; margin-top: 2mm; }
  address { font-style: normal; font-size: 11pt; margin: 2mm 0 4mm; }
`;

function messages(locale: Locale) {
  return (locale === 'en' ? receiptMessagesEn : receiptMessagesJa).doc;
}

/** The date in the shop's zone, written the way each language writes it. */
function day(at: Date | string, timeZone: string, locale: Locale): string {
  const [y, m, d] = localDate(new Date(at), timeZone).split('-');
  return locale === 'ja' ? `${y}年${Number(m)}月${Number(d)}日` : `${y}-${m}-${d}`;
}

function itemName(locale: Locale, i: OrderItem): string {
  return `${localized(locale, i.product_name_ja, i.product_name_en)} ${localized(locale, i.variant_name_ja, i.variant_name_en)}${i.tax_rate === 8 ? ' ※' : ''}`;
}

function Seller({ profile, locale, logo }: { profile: ShopProfile; locale: Locale; logo: string | undefined }) {
  const d = messages(locale);
  return (
    <div class="seller">
      {logo ? <img class="seller-logo" src={logo} alt={profile.shopName} /> : null}
      <div>{`${d.seller}: ${profile.companyName ?? profile.shopName}`}{profile.companyName && profile.companyName !== profile.shopName ? `（${profile.shopName}）` : ''}</div>
      {profile.invoiceRegistrationNumber ? <div>{`${d.registrationNumber}: ${profile.invoiceRegistrationNumber}`}</div> : null}
      {profile.postalCode || profile.address ? <div>{`${profile.postalCode ? `〒${profile.postalCode} ` : ''}${profile.address ?? ''}`}</div> : null}
      {profile.phone ? <div>{`TEL ${profile.phone}`}</div> : null}
    </div>
  );
}

type TaxLineInput = { tax_rate: number; taxable_total: number; tax: number };

/**
 * What makes a sheet a qualified invoice (適格請求書) beside the seller's registration number:
 * the items with the reduced-rate mark, shipping, coupon and fees, the total, and per rate its
 * total and the tax it contains. The receipt and a priced delivery slip print the same table.
 */
function InvoiceLines(p: { locale: Locale; order: Order; items: OrderItem[]; taxLines: TaxLineInput[] }) {
  const d = messages(p.locale);
  const discount = Number(p.order.discount_total ?? 0);
  // What is neither goods, shipping nor the coupon: a payment method's fee (代引手数料).
  const other = p.order.total - p.order.items_total - p.order.shipping_fee + discount;
  return (
    <table class="lines">
      <thead><tr><th scope="col">{d.item}</th><th scope="col" class="num">{d.unitPrice}</th><th scope="col" class="num">{d.quantity}</th><th scope="col" class="num">{d.amount}</th></tr></thead>
      <tbody>
        {p.items.map((i) => <tr><td>{itemName(p.locale, i)}</td><td class="num">{formatYen(i.unit_price)}</td><td class="num">{i.quantity}</td><td class="num">{formatYen(i.line_total)}</td></tr>)}
        {p.order.shipping_fee > 0 ? <tr><td>{d.shipping}</td><td /><td /><td class="num">{formatYen(p.order.shipping_fee)}</td></tr> : null}
        {discount > 0 ? <tr class="discount"><td>{d.couponDiscount(p.order.coupon_code ?? '')}</td><td /><td /><td class="num">{formatYen(-discount)}</td></tr> : null}
        {other !== 0 ? <tr><td>{d.otherCharges}</td><td /><td /><td class="num">{formatYen(other)}</td></tr> : null}
        <tr><th scope="row" colSpan={3}>{d.total}</th><td class="num">{formatYen(p.order.total)}</td></tr>
        {p.taxLines.map((t) => (
          <tr data-rate={t.tax_rate}><th scope="row" colSpan={2}>{d.rateTotal(t.tax_rate)}</th><td class="num">{formatYen(t.taxable_total)}</td><td class="num">{`${d.taxContained(t.tax_rate)} ${formatYen(t.tax)}`}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

export interface ReceiptDocumentInput {
  locale: Locale;
  profile: ShopProfile;
  /** The saved logo as a data: URL (src/shop-settings/shop-logo.ts), printed above the seller. */
  logo?: string | undefined;
  order: Order;
  items: OrderItem[];
  taxLines: TaxLineInput[];
  addressee: string;
  /** Which issue this PDF is: 1 is the original, above 1 a 再発行. */
  issueNumber: number;
  firstIssuedAt: Date | string;
  issuedAt: Date;
}

function ReceiptSheet(p: ReceiptDocumentInput) {
  const d = messages(p.locale);
  const tz = p.profile.timeZone;
  return (
    <section class="sheet">
      <h1>{d.receiptTitle}{p.issueNumber > 1 ? <span class="reissue">{d.reissueMark}</span> : null}</h1>
      <div class="head">
        <div>
          <div class="addressee">{`${p.addressee}${d.honorific ? ` ${d.honorific}` : ''}`}</div>
          <div class="amount">{`${d.amountLabel} ${formatYen(p.order.total)}${d.amountNote}`}</div>
          <p>{d.proviso(p.order.order_number)}</p>
        </div>
        <table class="facts">
          <tbody>
            <tr><th scope="row">{d.issueDate}</th><td>{day(p.issuedAt, tz, p.locale)}</td></tr>
            {p.issueNumber > 1 ? <tr><th scope="row">{d.firstIssued}</th><td>{day(p.firstIssuedAt, tz, p.locale)}</td></tr> : null}
            <tr><th scope="row">{d.paidDate}</th><td>{p.order.paid_at ? day(p.order.paid_at, tz, p.locale) : ''}</td></tr>
            <tr><th scope="row">{d.orderNumber}</th><td>{p.order.order_number}</td></tr>
          </tbody>
        </table>
      </div>
      <Seller profile={p.profile} locale={p.locale} logo={p.logo} />
      <InvoiceLines locale={p.locale} order={p.order} items={p.items} taxLines={p.taxLines} />
      {p.items.some((i) => i.tax_rate === 8) ? <p class="note">{d.reducedNote}</p> : null}
    </section>
  );
}

function Document({ locale, title, children }: { locale: Locale; title: string; children: preact.ComponentChildren }) {
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>{children}</body>
    </html>
  );
}

export function renderReceiptHtml(input: ReceiptDocumentInput): string {
  const d = messages(input.locale);
  return `<!doctype html>${renderToString(<Document locale={input.locale} title={`${d.receiptTitle} ${input.order.order_number}`}><ReceiptSheet {...input} /></Document>)}`;
}

/** `taxLines`: the order's per-rate totals, for a slip printed with prices. */
export interface DeliverySlipInput { order: Order; items: OrderItem[]; taxLines: TaxLineInput[] }

function SlipSheet({ slip, locale, profile, logo, prices }: { slip: DeliverySlipInput; locale: Locale; profile: ShopProfile; logo: string | undefined; prices: boolean }) {
  const d = messages(locale);
  const o = slip.order;
  return (
    <section class="sheet" data-order={o.order_number}>
      <h1>{d.slipTitle}</h1>
      <div class="head">
        <div>
          <div>{d.shipTo}</div>
          <address>
            {o.country === 'JP' ? <>〒{o.postal_code}<br />{o.prefecture}{o.city}{o.line1}</> : <>{o.line1}<br />{o.postal_code} {o.city}</>}
            {o.line2 ? <><br />{o.line2}</> : null}
            {o.country !== 'JP' ? <><br />{o.country}</> : null}
            <br />{`${o.name}${d.honorific ? ` ${d.honorific}` : ''}`}
          </address>
        </div>
        <table class="facts">
          <tbody>
            <tr><th scope="row">{d.orderNumber}</th><td>{o.order_number}</td></tr>
            <tr><th scope="row">{d.orderDate}</th><td>{day(o.created_at, profile.timeZone, locale)}</td></tr>
          </tbody>
        </table>
      </div>
      <p>{d.slipThanks}</p>
      <Seller profile={profile} locale={locale} logo={logo} />
      {prices ? <InvoiceLines locale={locale} order={o} items={slip.items} taxLines={slip.taxLines} /> : (
        <table class="lines">
          <thead><tr><th scope="col">{d.item}</th><th scope="col">SKU</th><th scope="col" class="num">{d.quantity}</th></tr></thead>
          <tbody>
            {slip.items.map((i) => <tr><td>{itemName(locale, i)}</td><td>{i.sku}</td><td class="num">{i.quantity}</td></tr>)}
          </tbody>
        </table>
      )}
      {slip.items.some((i) => i.tax_rate === 8) ? <p class="note">{d.reducedNote}</p> : null}
    </section>
  );
}

/**
 * One document, a page per order, in the order given. With `prices` each slip is also a qualified
 * invoice (the receipt's table); without, it lists items and quantities only (a gift's parcel).
 */
export function renderDeliverySlipsHtml(input: { locale: Locale; profile: ShopProfile; logo?: string | undefined; slips: DeliverySlipInput[]; prices: boolean }): string {
  const d = messages(input.locale);
  return `<!doctype html>${renderToString(
    <Document locale={input.locale} title={d.slipTitle}>{input.slips.map((s) => <SlipSheet slip={s} locale={input.locale} profile={input.profile} logo={input.logo} prices={input.prices} />)}</Document>,
  )}`;
}
