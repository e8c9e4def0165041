import { formatYen } from '../../i18n/locale.ts';
import type { Messages } from '../../i18n/messages-ja.ts';

export interface TotalsView {
  itemsTotal: number;
  shippingFee: number;
  total: number;
  taxLines: { taxRate: number; taxableTotal: number; tax: number }[];
  /** A payment method's fee (代引手数料), already in total; shown when set. */
  paymentFee?: { label: string; amount: number } | undefined;
  /** A coupon's discount (issue 18), already taken off total; shown when above 0. */
  discount?: { code: string; amount: number } | undefined;
}

/** Totals with the per-rate breakdown a Japanese qualified invoice shows. */
export function TotalsTable({ m, totals, freeOver }: { m: Messages; totals: TotalsView; freeOver?: number | undefined }) {
  return (
    <div class="totals">
      <table>
        <tbody>
          <tr><th scope="row">{m.totals.itemsTotal}</th><td>{formatYen(totals.itemsTotal)}</td></tr>
          {totals.discount && totals.discount.amount > 0 ? <tr class="discount"><th scope="row">{m.totals.couponDiscount(totals.discount.code)}</th><td>−{formatYen(totals.discount.amount)}</td></tr> : null}
          <tr>
            <th scope="row">{m.totals.shipping}</th>
            <td>{totals.shippingFee === 0 && totals.itemsTotal > 0 ? m.totals.freeShipping : formatYen(totals.shippingFee)}</td>
          </tr>
          {totals.paymentFee ? <tr><th scope="row">{totals.paymentFee.label}</th><td>{formatYen(totals.paymentFee.amount)}</td></tr> : null}
          <tr class="grand-total"><th scope="row">{m.totals.total}</th><td>{formatYen(totals.total)}</td></tr>
        </tbody>
      </table>
      {totals.taxLines.length > 0 ? (
        <table class="tax-breakdown">
          <caption>{m.totals.taxBreakdown}</caption>
          <tbody>
            {totals.taxLines.map((t) => (
              <tr>
                <th scope="row">{m.totals.rateSubtotal(t.taxRate)}</th>
                <td>{formatYen(t.taxableTotal)}</td>
                <td>{m.totals.taxContained(t.taxRate)} {formatYen(t.tax)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p class="note">{m.totals.roundingNote}</p>
      {freeOver ? <p class="note">{m.totals.freeShippingOver(formatYen(freeOver))}</p> : null}
    </div>
  );
}
