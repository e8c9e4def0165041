// The default texts of the legal pages, in Japanese and English, used until the owner saves their
// own (and again when a text is emptied). They name the shop through placeholders ({shopName},
// {companyName}, {representative}, {address}, {phone}, {email}, {hours}) filled from the shop
// profile when the page is shown, so a template — or a merchant text that keeps them — follows
// the settings page. The seller items of the 特定商取引法 notice are not text at all: the page
// shows them from the profile (src/legal-pages/legal-page-view.tsx).
//
// What they cover: 特定商取引法 第11条 and 同法施行規則 第8条 (prices, shipping, other fees, payment
// method and timing, delivery time, returns/cancellation — 返品特約 of 第15条の3); the privacy
// policy the items 個人情報保護法 asks a business to make known (第21条 purpose of use, 第27条
// third-party provision and 委託, 第23条 security measures, 第32条 matters about retained data and
// the procedure for disclosure requests). They are a starting point a merchant must check, not advice.
import type { Locale } from '../i18n/locale.ts';
import type { LegalPageKind } from '../shop-settings/shop-settings-tables.ts';

export const TOKUSHOHO_SECTIONS = ['prices', 'shippingFees', 'otherFees', 'payment', 'delivery', 'returns'] as const;
export type TokushohoSection = (typeof TOKUSHOHO_SECTIONS)[number];

/** The editable sections of each page: the notice has one per required item, the others one body. */
export const LEGAL_PAGE_SECTIONS: Record<LegalPageKind, readonly string[]> = {
  tokushoho: TOKUSHOHO_SECTIONS,
  privacy: ['body'],
  terms: ['body'],
};

const ja: Record<LegalPageKind, Record<string, string>> = {
  tokushoho: {
    prices: '各商品ページに消費税込みの価格で表示しています。',
    shippingFees: '配送方法とお届け先の地域によって異なります。ご注文手続きの画面で、商品代金とあわせて送料を表示します。',
    otherFees: '銀行振込の振込手数料、代金引換の手数料など、お選びいただいたお支払い方法の手数料はご注文手続きの画面に表示します。\nホームページの閲覧やお買い物にかかるインターネット接続料金・通信料金はお客様のご負担となります。',
    payment: 'クレジットカード: ご注文手続きの際に、決済代行会社のお支払い画面でお支払いください（カード番号は決済代行会社の画面でのみ入力され、当店は保持しません）。\nその他のお支払い方法とその期限は、ご注文手続きの画面と注文確認メールでご案内します。',
    delivery: 'お支払いの確認後、通常3営業日以内に発送します。お届け日時のご指定がある場合はそのとおりにお届けします。',
    returns: 'お客様のご都合による返品・交換は、商品到着後8日以内にご連絡いただいた未使用・未開封のものに限りお受けします。返送料はお客様のご負担となります。\n不良品・誤配送の場合は、商品到着後8日以内にご連絡ください。送料当店負担で交換または返金いたします。\nご注文のキャンセルは、発送前にお問い合わせ窓口までご連絡ください。発送後のキャンセルは返品として承ります。',
  },
  privacy: {
    body: [
      '{companyName}（以下「当店」、ショップ名 {shopName}）は、お客様の個人情報を以下のとおり取り扱います。',
      '## 事業者の名称・住所・代表者',
      '{companyName}\n所在地: {address}\n代表者: {representative}',
      '## 取得する個人情報',
      'お名前、ご住所、電話番号、メールアドレス、ご注文の内容、お問い合わせの内容、ご利用の記録（アクセス元のIPアドレス等）。\nクレジットカード番号は決済代行会社の画面でのみ入力され、当店は取得も保持もしません。',
      '## 利用目的',
      '- ご注文の受付、商品の発送、代金のご請求とお支払いの確認\n- ご注文やお問い合わせに関するご連絡\n- 不正な注文・不正利用の防止とセキュリティの確保\n- 法令に基づく対応',
      '## 第三者提供と委託',
      '法令に基づく場合を除き、ご本人の同意なく個人情報を第三者に提供しません。\n次の業務は委託先に必要な範囲で個人情報を預けます。\n- 決済代行会社: ご注文番号、金額、メールアドレス等（お支払いの処理と不正利用の検知のため）\n- 配送業者: お名前、ご住所、電話番号（商品のお届けのため）\n委託先の選定と監督を適切に行います。外国にある事業者に提供する場合は、その国の名称と個人情報保護の制度をあわせてお知らせします。',
      '## 安全管理措置',
      '- 組織的措置: 取扱責任者を定め、取り扱いの記録（改ざんを検知できる操作記録）を残します。\n- 人的措置: 取り扱う者に守秘と取り扱いのルールを周知します。\n- 物理的措置: 個人情報を扱う機器と書類の持ち出しを制限します。\n- 技術的措置: 通信の暗号化、管理画面の二要素認証とアクセス制限、ソフトウェアの脆弱性の管理、改ざんの監視を行います。',
      '## 保存期間',
      'ご注文の記録は、法令の定め（帳簿書類の保存期間）に従い7年間保存し、その後消去します。お問い合わせの記録は対応の完了後、必要な期間に限り保存します。',
      '## 開示等のご請求',
      '保有個人データの利用目的の通知、開示、訂正・追加・削除、利用の停止・消去、第三者提供の停止、第三者提供記録の開示をご請求いただけます。ご本人であることを確認のうえ、遅滞なく対応します。\nご請求先: {email}（お問い合わせページからも承ります）',
      '## お問い合わせ窓口',
      '{companyName}\nメール: {email}\n電話: {phone}（{hours}）',
      '## 改定',
      '本ポリシーの内容は、法令の改正等に応じて変更することがあります。変更後の内容はこのページでお知らせします。',
    ].join('\n\n'),
  },
  terms: {
    body: [
      'この規約は、{companyName}（以下「当店」）が運営する {shopName} でのお買い物に適用されます。',
      '## ご注文と契約の成立',
      'ご注文手続きの完了後、当店がお送りする注文確認メールが届いた時点で売買契約が成立します。在庫の不足その他の理由でご注文をお受けできない場合は、メールでお知らせします。',
      '## 価格とお支払い',
      '価格は消費税込みで表示します。お支払い方法と期限は「特定商取引法に基づく表記」とご注文手続きの画面のとおりです。',
      '## 配送',
      'ご注文いただいた商品は、ご指定のお届け先へお届けします。天候や交通事情によりお届けが遅れることがあります。',
      '## 返品・交換・キャンセル',
      '「特定商取引法に基づく表記」の「返品・交換・キャンセル」のとおりとします。',
      '## 禁止事項',
      '他人になりすましての注文、転売を目的とした大量の注文、当店や他のお客様の迷惑となる行為を禁止します。',
      '## 免責',
      '当店の責めに帰すべき事由による損害の賠償は、お客様がお支払いになった商品代金の額を上限とします（当店の故意または重大な過失による場合を除きます）。',
      '## 準拠法・管轄',
      'この規約は日本法に準拠し、紛争が生じた場合は当店の所在地を管轄する地方裁判所を第一審の専属的合意管轄裁判所とします。',
    ].join('\n\n'),
  },
};

const en: Record<LegalPageKind, Record<string, string>> = {
  tokushoho: {
    prices: 'Shown on each product page, including consumption tax.',
    shippingFees: 'Depends on the delivery method and the destination region. Checkout shows the shipping fee together with the price of the goods.',
    otherFees: 'Fees of the payment method you choose (bank transfer charges, the cash-on-delivery fee) are shown at checkout.\nInternet connection and communication charges for browsing and shopping are borne by the customer.',
    payment: 'Credit card: paid at checkout on the payment provider\'s page (card numbers are entered only there; we never keep them).\nOther payment methods and their deadlines are shown at checkout and in the order confirmation e-mail.',
    delivery: 'Usually shipped within 3 business days after payment is confirmed; on the date and time you chose, if you chose one.',
    returns: 'Returns or exchanges for your own reasons: unused, unopened items, if you contact us within 8 days of delivery; you pay the return shipping.\nDefective or wrongly delivered items: contact us within 8 days of delivery; we exchange or refund them at our cost.\nCancellations: contact us before the order is shipped. After shipping, a cancellation is handled as a return.',
  },
  privacy: {
    body: [
      '{companyName} ("we", shop name {shopName}) handles your personal information as follows.',
      '## Business name, address and representative',
      '{companyName}\nAddress: {address}\nRepresentative: {representative}',
      '## What we collect',
      'Your name, address, phone number, e-mail address, what you order, what you ask us, and usage records (such as the IP address you connect from).\nCard numbers are entered only on the payment provider\'s page: we neither collect nor keep them.',
      '## Purposes of use',
      '- Accepting orders, shipping goods, billing and confirming payment\n- Contacting you about your orders and inquiries\n- Preventing fraudulent orders and misuse, and keeping the shop secure\n- Complying with the law',
      '## Provision to third parties and outsourcing',
      'Except where the law requires it, we do not provide personal information to third parties without your consent.\nWe entrust the following work to contractors, with only the information it needs:\n- The payment provider: order number, amount, e-mail address and the like (to process payments and detect fraud)\n- Delivery companies: name, address and phone number (to deliver your order)\nWe choose and supervise these contractors appropriately. Where a contractor is abroad, we tell you the country and its data-protection system.',
      '## Security measures',
      '- Organisational: a person responsible is appointed, and handling is recorded (tamper-evident logs).\n- Personal: everyone who handles personal information is bound to confidentiality and our rules.\n- Physical: devices and documents holding personal information may not be taken out freely.\n- Technical: encrypted connections, two-factor authentication and access restrictions for the back office, vulnerability management and tamper monitoring.',
      '## Retention',
      'Order records are kept for 7 years, as the law requires of business records, and then deleted. Inquiry records are kept only as long as needed after they are answered.',
      '## Requests for disclosure',
      'You may ask us to notify you of the purposes of use, to disclose, correct, add to or delete, to stop using or erase your retained personal data, to stop providing it to third parties, and to disclose the records of such provision. We will confirm that you are the person concerned and respond without delay.\nWhere to ask: {email} (or through our contact page)',
      '## Contact',
      '{companyName}\nE-mail: {email}\nPhone: {phone} ({hours})',
      '## Changes',
      'We may change this policy as laws change. The changed policy is published on this page.',
    ].join('\n\n'),
  },
  terms: {
    body: [
      'These terms apply to purchases at {shopName}, run by {companyName} ("we").',
      '## Orders and the contract',
      'The contract of sale is made when our order confirmation e-mail reaches you after you complete checkout. If we cannot accept an order (for example, out of stock), we tell you by e-mail.',
      '## Prices and payment',
      'Prices include consumption tax. Payment methods and deadlines are as stated in the legal notice and at checkout.',
      '## Delivery',
      'We deliver to the address you give. Weather or traffic may delay a delivery.',
      '## Returns, exchanges and cancellations',
      'As stated under "Returns, exchanges and cancellations" in the legal notice.',
      '## Prohibited conduct',
      'Ordering in another person\'s name, bulk orders for resale, and anything that harms us or other customers are prohibited.',
      '## Limitation of liability',
      'Our liability for damage we are responsible for is limited to the price you paid for the goods, except in case of our intent or gross negligence.',
      '## Governing law and jurisdiction',
      'These terms are governed by Japanese law. The district court with jurisdiction over our address is the exclusive court of first instance.',
    ].join('\n\n'),
  },
};

const TEMPLATES: Record<Locale, Record<LegalPageKind, Record<string, string>>> = { ja, en };

export function defaultLegalText(page: LegalPageKind, section: string, locale: Locale): string {
  return TEMPLATES[locale][page][section] ?? '';
}
