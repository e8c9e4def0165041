// The customer's order mails (issue 17, bug 8): the order-received mail, sent before payment,
// says in its subject and body that payment is still due and by when; the shipped mail links to
// the carrier's tracking page; every mail ends with the shop's contact details.
import { describe, expect, it } from 'vitest';
import { orderConfirmationMail } from './order-confirmation-mail.tsx';
import { orderUpdateMail, type OrderUpdate } from './order-update-mail.ts';
import { trackingUrl } from './carriers.ts';
import type { OrderDetail } from './service.ts';
import type { MailShop } from './mail-shop.ts';

const SHOP: MailShop = {
  shopName: 'まもり茶舗', timeZone: 'Asia/Tokyo',
  contact: { email: 'support@mamori.example.jp', phone: '03-1234-5678', address: '東京都千代田区千代田1-1', hours: '平日 10:00〜17:00' },
};

function detail(locale: 'ja' | 'en'): OrderDetail {
  return {
    order: {
      id: '0b0c0000-0000-4000-8000-000000000001', order_number: 'MA-AB12-CD34', locale, email: 'hanako@example.jp', name: '山田 花子', status: 'pending_payment',
      items_total: 1296, shipping_fee: 800, total: 2096, expires_at: '2026-12-01T19:05:00.000Z', created_at: '2026-12-01T18:35:00.000Z',
    } as OrderDetail['order'],
    items: [{ product_name_ja: '宇治抹茶ラテ', product_name_en: 'Uji Matcha Latte', variant_name_ja: '200 g', variant_name_en: '200 g', tax_rate: 8, quantity: 1, line_total: 1296 } as OrderDetail['items'][number]],
    taxLines: [{ tax_rate: 8, taxable_total: 1296, tax: 96 }],
    events: [],
  };
}
const ORDER = { locale: 'ja', email: 'hanako@example.jp', name: '山田 花子', order_number: 'MA-AB12-CD34' } as const;

describe('order mails', () => {
  it('the order-received mail says payment is still due, and by when (shop time), in subject and body', () => {
    const ja = orderConfirmationMail(detail('ja'), 'https://shop.example.jp/orders/x?token=t', SHOP);
    expect(ja.subject).toBe('【まもり茶舗】ご注文を承りました・お支払い待ち（MA-AB12-CD34）');
    expect(ja.text).toContain('お支払いはまだ完了していません');
    expect(ja.text).toContain('お支払い期限：2026/12/02 04:05');
    expect(ja.html).toContain('お支払い期限：2026/12/02 04:05');
    const en = orderConfirmationMail(detail('en'), 'https://shop.example.jp/orders/x?token=t', SHOP);
    expect(en.subject).toBe('[まもり茶舗] Order received, payment pending (MA-AB12-CD34)');
    expect(en.text).toContain('Payment is still due');
    expect(en.text).toMatch(/Please pay by: .*2026.*04:05/);
  });

  it('the shipped mail links to the carrier\'s tracking page for ヤマト運輸, 日本郵便 and 佐川急便', () => {
    const cases: [string, string][] = [
      ['ヤマト運輸', 'https://jizen.kuronekoyamato.co.jp/jizen/servlet/crjz.b.NQ0010?id=123456789012'],
      ['日本郵便', 'https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=123456789012'],
      ['佐川急便', 'https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=123456789012'],
    ];
    for (const [carrier, url] of cases) {
      const mail = orderUpdateMail(ORDER, { kind: 'fulfilled', carrier, trackingNumber: '1234-5678-9012' }, SHOP);
      expect(mail.text, carrier).toContain(url);
      expect(mail.html, carrier).toContain(`<a href="${url.replace(/&/g, '&amp;')}">`);
    }
    // English names and common short forms find the same carrier.
    expect(trackingUrl('Yamato', '1234-5678-9012')).toBe(cases[0]![1]);
    expect(trackingUrl('ゆうパック', '123456789012')).toBe(cases[1]![1]);
    expect(trackingUrl('Sagawa Express', '123456789012')).toBe(cases[2]![1]);
    // An unknown carrier gets no link, only the number; a number that is not a plain code gets none either.
    expect(trackingUrl('地元の配送屋', '123')).toBeUndefined();
    expect(trackingUrl('ヤマト運輸', '12<script>')).toBeUndefined();
    expect(orderUpdateMail(ORDER, { kind: 'fulfilled', carrier: '地元の配送屋', trackingNumber: '123' }, SHOP).text).not.toContain('http');
  });

  it('every mail carries the shop\'s contact details', () => {
    const updates: OrderUpdate[] = [{ kind: 'paid' }, { kind: 'refunded', amount: 300, refundedTotal: 300 }, { kind: 'cancelled' }, { kind: 'fulfilled', carrier: 'ヤマト運輸', trackingNumber: '1' }];
    const mails = [orderConfirmationMail(detail('ja'), 'https://shop.example.jp/o', SHOP), ...updates.map((u) => orderUpdateMail(ORDER, u, SHOP))];
    for (const mail of mails) {
      for (const part of [mail.text, mail.html]) {
        expect(part, mail.subject).toContain('まもり茶舗');
        expect(part, mail.subject).toContain('support@mamori.example.jp');
        expect(part, mail.subject).toContain('03-1234-5678');
        expect(part, mail.subject).toContain('東京都千代田区千代田1-1');
        expect(part, mail.subject).toContain('平日 10:00〜17:00');
      }
    }
    // Settings left empty are left out, not printed as blanks.
    const bare = orderUpdateMail(ORDER, { kind: 'paid' }, { ...SHOP, contact: { email: undefined, phone: undefined, address: undefined, hours: undefined } });
    expect(bare.text).not.toContain('undefined');
    expect(bare.text).not.toMatch(/電話：\s*$/m);
  });
});
