// The sales report as CSV (UTF-8 with BOM so Japanese Excel reads it, CRLF, formula-safe cells).
import { csvCell } from '../admin/orders-admin.ts';
import { REPORTED_RATES, type SalesPeriod, type SalesReport } from './sales-report.ts';
import type { SalesMessages } from './sales-messages.ts';

// Figures go out as plain numbers (a negative net is a number, not a formula); text goes through csvCell.
const cell = (v: string | number) => (typeof v === 'number' ? String(v) : csvCell(v));

export function salesCsv(report: SalesReport, m: SalesMessages): string {
  const header = [m.period, m.orders, m.discounts, m.sales, m.refunds, m.net];
  for (const r of REPORTED_RATES) header.push(m.rateSales(r), m.rateTax(r), m.rateRefunds(r), m.rateRefundTax(r), m.rateNetSales(r), m.rateNetTax(r));
  const row = (p: SalesPeriod, label: string) => {
    const cells: (string | number)[] = [label, p.orders, p.discounts, p.sales, p.refunds, p.net];
    for (const rate of REPORTED_RATES) {
      const f = p.rates.find((x) => x.rate === rate)!;
      cells.push(f.sales, f.tax, f.refunds, f.refundTax, f.netSales, f.netTax);
    }
    return cells.map(cell).join(',');
  };
  return '\ufeff' + [header.map(csvCell).join(','), ...report.periods.map((p) => row(p, p.period)), row(report.total, m.total)].join('\r\n') + '\r\n';
}
