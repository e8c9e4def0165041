// The 領収書 as a PDF: made first, recorded after (src/orders/issue-receipt.ts), so the record only
// counts receipts the customer actually got. Two concurrent downloads of one order: the second to
// record sees another issue came in between and renders once more, as a reissue.
import type { ShopContext } from '../shop-context.ts';
import type { Locale } from '../i18n/locale.ts';
import { getOrderDetail } from '../orders/service.ts';
import { parseAddressee, receiptRefusal, recordReceiptIssue, storedReceipt, type AddresseeError, type ReceiptRefusal } from '../orders/issue-receipt.ts';
import type { OrderActor } from '../orders/order-actor.ts';
import { currentShopProfile, type ShopProfile } from '../shop-settings/shop-profile.ts';
import { htmlToPdf } from '../pdf/html-to-pdf.ts';
import { logoDataUrl } from '../shop-settings/shop-logo.ts';
import { renderDeliverySlipsHtml, renderReceiptHtml, type DeliverySlipInput } from './receipt-document.tsx';

export type ReceiptPdfError = ReceiptRefusal | AddresseeError | 'ORDER_NOT_FOUND' | 'CHANGED' | 'PDF_UNAVAILABLE';
export type ReceiptPdfResult = { ok: true; pdf: Buffer; filename: string; reissue: boolean } | { ok: false; error: ReceiptPdfError };

/** How a refused download answers, wherever it is offered (the order page, the account's order page). */
export function receiptFailureStatus(error: ReceiptPdfError): number {
  return error === 'PDF_UNAVAILABLE' ? 503 : error === 'NOT_PAID' || error === 'REFUNDED' || error === 'CHANGED' ? 409 : error === 'ORDER_NOT_FOUND' ? 404 : 400;
}

type Shop = Pick<ShopContext, 'config' | 'db' | 'clock' | 'logger'>;

/** The seller as receipts and slips print it: the saved profile and its logo, inlined for the offline renderer. */
async function printedSeller(shop: Shop): Promise<{ profile: ShopProfile; logo: string | undefined }> {
  const profile = await currentShopProfile(shop);
  return { profile, logo: await logoDataUrl(shop.config.mediaDir, profile.logoPath) };
}

export async function issueReceiptPdf(shop: Shop, orderId: string, addresseeInput: unknown, actor: OrderActor, locale: Locale): Promise<ReceiptPdfResult> {
  const db = shop.db.db;
  for (let attempt = 0; attempt < 2; attempt++) {
    const detail = await getOrderDetail(db, orderId);
    if (!detail) return { ok: false, error: 'ORDER_NOT_FOUND' };
    const refusal = receiptRefusal(detail.order);
    if (refusal) return { ok: false, error: refusal };
    const existing = await storedReceipt(db, orderId);
    // Once issued, the stored 宛名 is printed whatever the form sent: it is set once.
    let addressee = existing?.addressee;
    if (addressee === undefined) {
      const parsed = parseAddressee(addresseeInput);
      if (!parsed.ok) return { ok: false, error: parsed.error };
      addressee = parsed.value;
    }
    const now = shop.clock();
    const seen = existing?.issue_count ?? 0;
    const html = renderReceiptHtml({
      locale, ...(await printedSeller(shop)), order: detail.order, items: detail.items, taxLines: detail.taxLines,
      addressee, issueNumber: seen + 1, firstIssuedAt: existing?.first_issued_at ?? now, issuedAt: now,
    });
    const pdf = await htmlToPdf(html, shop.config.chromiumPath);
    if (!pdf.ok) {
      shop.logger.warn({ error: pdf.error, detail: pdf.detail }, 'receipt PDF not made');
      return { ok: false, error: 'PDF_UNAVAILABLE' };
    }
    const recorded = await recordReceiptIssue(db, orderId, seen, addressee, actor, now);
    if (recorded.ok) return { ok: true, pdf: pdf.pdf, filename: `receipt-${detail.order.order_number}.pdf`, reissue: seen > 0 };
    if (recorded.error !== 'CHANGED') return { ok: false, error: recorded.error };
  }
  return { ok: false, error: 'CHANGED' };
}

/** 納品書 for the given orders, a page each, in the order given, priced or not; unknown ids are left out. */
export async function deliverySlipsPdf(shop: Shop, orderIds: readonly string[], locale: Locale, opts: { prices: boolean }): Promise<{ ok: true; pdf: Buffer; orderNumbers: string[] } | { ok: false; error: 'NO_ORDERS' | 'PDF_UNAVAILABLE' }> {
  const slips: DeliverySlipInput[] = [];
  for (const id of orderIds) {
    const d = await getOrderDetail(shop.db.db, id);
    if (d) slips.push({ order: d.order, items: d.items, taxLines: d.taxLines });
  }
  if (slips.length === 0) return { ok: false, error: 'NO_ORDERS' };
  const pdf = await htmlToPdf(renderDeliverySlipsHtml({ locale, ...(await printedSeller(shop)), slips, prices: opts.prices }), shop.config.chromiumPath);
  if (!pdf.ok) {
    shop.logger.warn({ error: pdf.error, detail: pdf.detail }, 'delivery slip PDF not made');
    return { ok: false, error: 'PDF_UNAVAILABLE' };
  }
  return { ok: true, pdf: pdf.pdf, orderNumbers: slips.map((s) => s.order.order_number) };
}
