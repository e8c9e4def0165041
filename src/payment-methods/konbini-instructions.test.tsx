// What the customer is told for a konbini order, in both languages: the chain, the number under
// that chain's own name for it, the 確認番号 only where the chain uses one, and the deadline, the
// same on the order page, in the mail and in the back office.
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { OrderPaymentDetails } from './order-payment-method.ts';
import { konbiniFacts, paymentInstructionLines, PaymentInstructionsView } from './views/payment-instructions.tsx';
import { OrderPaymentPanel } from './views/order-payment-panel.tsx';
import type { AdminViewContext } from '../admin/views/admin-layout.tsx';

const deadline = '2026-12-05T14:59:00.000Z'; // 23:59 in Tokyo
const konbini = (store: 'familymart' | 'seven-eleven' | null, confirmationNumber: string | null): OrderPaymentDetails => ({
  due: true, instructions: { method: 'konbini', amount: 3300, store, paymentNumber: '12345678901', confirmationNumber, deadline },
});
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('konbini payment instructions', () => {
  it('ja: FamilyMart with 受付番号 and 確認番号, on the page and in the mail', () => {
    const page = text(renderToString(<PaymentInstructionsView locale="ja" details={konbini('familymart', '654321')} timeZone="Asia/Tokyo" />));
    expect(page).toContain('お支払いいただけるコンビニ ファミリーマート');
    expect(page).toContain('受付番号 12345678901');
    expect(page).toContain('確認番号 654321');
    expect(page).toContain('お支払い期限 2026年12月5日 23:59');
    expect(paymentInstructionLines('ja', 'Asia/Tokyo', konbini('familymart', '654321'))).toEqual(expect.arrayContaining([
      'お支払いいただけるコンビニ: ファミリーマート', '受付番号: 12345678901', '確認番号: 654321', 'お支払い期限: 2026/12/05 23:59',
    ]));
  });

  it('en: Seven-Eleven takes the payment slip number alone, no confirmation number line', () => {
    const lines = paymentInstructionLines('en', 'Asia/Tokyo', konbini('seven-eleven', null));
    expect(lines).toEqual(expect.arrayContaining(['Pay at: Seven-Eleven', 'Payment slip number (払込票番号): 12345678901', 'Pay by: 5 Dec 2026, 23:59']));
    expect(lines.join('\n')).not.toMatch(/Confirmation|確認番号/);
    const page = text(renderToString(<PaymentInstructionsView locale="en" details={konbini('seven-eleven', null)} timeZone="Asia/Tokyo" />));
    expect(page).toContain('Pay at Seven-Eleven');
    expect(page).not.toContain('Confirmation');
  });

  it('a gateway that named no chain: "any store" and the plain payment number', () => {
    expect(konbiniFacts('ja', konbini(null, null).instructions as never)).toEqual([
      { key: 'store', label: 'お支払いいただけるコンビニ', value: '各コンビニ' },
      { key: 'number', label: '払込番号', value: '12345678901' },
    ]);
  });

  it('the back office shows the same chain, numbers and deadline', () => {
    const ctx = { locale: 'en', csrfToken: 't', timeZone: 'Asia/Tokyo' } as unknown as AdminViewContext;
    const panel = text(renderToString(<OrderPaymentPanel ctx={ctx} orderId="o1" details={konbini('familymart', '654321')} mayRecord={false} />));
    expect(panel).toContain('Pay at FamilyMart');
    expect(panel).toContain('Receipt number (受付番号) 12345678901');
    expect(panel).toContain('Confirmation number (確認番号) 654321');
    expect(panel).toContain('5 December 2026 at 23:59');
  });
});
