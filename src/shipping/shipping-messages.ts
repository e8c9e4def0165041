// Wording of delivery (ja/en): the checkout's delivery section, the order page and mails, and the
// back office's shipping settings page.
import type { Locale } from '../i18n/locale.ts';
import type { DeliveryErrorCode } from './delivery-options.ts';

const ja = {
  legend: 'お届け方法と日時',
  method: '配送方法',
  date: 'お届け希望日',
  timeSlot: 'お届け時間帯',
  unspecified: '指定なし',
  noDateChoice: 'この配送方法ではお届け日時を指定できません。',
  recalculate: '送料を再計算',
  recalculateHint: '配送方法や都道府県を変えたら「送料を再計算」を押すと、送料と合計が更新されます。',
  free: '送料無料',
  feeOf: (fee: string) => `送料 ${fee}`,
  freeOver: (amount: string) => `${amount}以上で送料無料`,
  notDeliverableHere: 'このご注文はお届けできません',
  feeChanged: (fee: string) => `お届け先に合わせて送料を${fee}に再計算しました。合計をご確認のうえ、もう一度ご注文ください。`,
  errors: {
    methodUnavailable: 'この配送方法は現在ご利用いただけません。別の配送方法を選んでください。',
    notDeliverable: 'この配送方法ではご注文の商品をお届けできません。別の配送方法を選んでください。',
    dateNotOffered: 'お届け希望日は一覧から選んでください。',
    slotNotOffered: 'お届け時間帯は一覧から選んでください。',
  } satisfies Record<DeliveryErrorCode, string>,
  // Order page, admin order page and mails.
  delivery: 'お届け',
  dateLine: (date: string, slot: string) => `お届け希望日時：${date} ${slot}`,
  weekday: (date: string) => new Intl.DateTimeFormat('ja-JP', { timeZone: 'UTC', month: 'long', day: 'numeric', weekday: 'short' }).format(new Date(`${date}T00:00:00Z`)),
  admin: {
    title: '配送設定',
    intro: '配送方法ごとに、地域（都道府県ごとの上書き可）とサイズ区分ごとの送料（税込・10%）、送料無料の金額、お届け日時の指定を設定します。商品のサイズ区分が方法のどの区分にも収まらない場合、その方法は選べません。',
    methods: '配送方法',
    newMethod: '配送方法を追加',
    edit: '編集',
    save: '保存',
    saved: '保存しました。',
    nameJa: '名称（日本語）', nameEn: '名称（英語）', carrier: '配送業者',
    trackingTemplate: '追跡URLのテンプレート', trackingHint: 'https:// で始まり、追跡番号の位置に {tracking} を含めてください。空欄なら配送業者の標準のページ（対応業者のみ）。',
    freeOver: '送料無料になる金額（税込、空欄で無し）',
    dateSelectable: 'お届け希望日を指定できる', dateMinDays: '何日後から', dateMaxDays: '何日後まで',
    timeSlots: 'お届け時間帯（カンマ区切り: am, 14-16 など）', timeSlotsHint: 'am は午前中、14-16 は14〜16時。空欄なら時間帯の指定なし。',
    enabled: '有効', position: '表示順',
    sizeClasses: 'サイズ区分（カンマ区切り、例: 60,80,100）',
    feeTable: '送料表（税込）', region: '地域',
    overrides: '都道府県ごとの送料（上書き）', overridesHint: '1行に「都道府県 サイズ 送料」（例: 東京都 60 700）。地域の送料より優先します。',
    status: '状態', on: '有効', off: '無効', sizes: 'サイズ',
    errors: {
      required: '入力してください。', tooLong: '長すぎます。', yen: '0以上の整数（円）で入力してください。', days: '0〜90 の整数で入力してください。',
      window: '「何日後まで」は「何日後から」以上にしてください。', template: 'https:// で始まり {tracking} を含むURLを入力してください。',
      slots: '時間帯は am または 14-16 の形で入力してください。', sizes: 'サイズ区分は1〜999 の整数をカンマ区切りで入力してください。',
      overrides: '「都道府県 サイズ 送料」の形で、サイズ区分にあるサイズを入力してください。', cardNumber: 'カード番号は入力しないでください。',
      summary: '入力内容を確認してください。',
    },
  },
};

const en: typeof ja = {
  legend: 'Delivery method and time',
  method: 'Shipping method',
  date: 'Delivery date',
  timeSlot: 'Delivery time',
  unspecified: 'No preference',
  noDateChoice: 'This shipping method does not offer a delivery date or time.',
  recalculate: 'Recalculate shipping',
  recalculateHint: 'After changing the shipping method or prefecture, press "Recalculate shipping" to update the fee and total.',
  free: 'Free shipping',
  feeOf: (fee: string) => `Shipping ${fee}`,
  freeOver: (amount: string) => `free from ${amount}`,
  notDeliverableHere: 'Cannot deliver this order',
  feeChanged: (fee: string) => `Shipping was recalculated for your address: ${fee}. Please check the total and place the order again.`,
  errors: {
    methodUnavailable: 'This shipping method is not available. Please choose another.',
    notDeliverable: 'This shipping method cannot carry your order. Please choose another.',
    dateNotOffered: 'Please choose a delivery date from the list.',
    slotNotOffered: 'Please choose a delivery time from the list.',
  },
  delivery: 'Delivery',
  dateLine: (date: string, slot: string) => `Requested delivery: ${date} ${slot}`,
  weekday: (date: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(`${date}T00:00:00Z`)),
  admin: {
    title: 'Shipping settings',
    intro: 'For each shipping method: fees (tax-inclusive, 10%) by region (with per-prefecture overrides) and size class, the free-shipping amount, and the delivery dates and times customers may choose. A method whose size classes cannot hold a product is not offered for it.',
    methods: 'Shipping methods',
    newMethod: 'Add a shipping method',
    edit: 'Edit',
    save: 'Save',
    saved: 'Saved.',
    nameJa: 'Name (Japanese)', nameEn: 'Name (English)', carrier: 'Carrier',
    trackingTemplate: 'Tracking URL template', trackingHint: 'Starts with https:// and holds {tracking} where the tracking number goes. Empty: the carrier\'s own page (known carriers only).',
    freeOver: 'Free shipping from (tax-inclusive; empty for never)',
    dateSelectable: 'Customers may choose a delivery date', dateMinDays: 'From (days ahead)', dateMaxDays: 'Up to (days ahead)',
    timeSlots: 'Delivery times (comma-separated: am, 14-16, …)', timeSlotsHint: 'am is the morning, 14-16 is 14:00–16:00. Empty: no time choice.',
    enabled: 'Enabled', position: 'Display order',
    sizeClasses: 'Size classes (comma-separated, e.g. 60,80,100)',
    feeTable: 'Fee table (tax-inclusive)', region: 'Region',
    overrides: 'Fees per prefecture (overrides)', overridesHint: 'One per line: "prefecture size fee" (e.g. 東京都 60 700). Wins over the region\'s fee.',
    status: 'Status', on: 'Enabled', off: 'Disabled', sizes: 'Sizes',
    errors: {
      required: 'Please fill this in.', tooLong: 'Too long.', yen: 'Enter a whole number of yen (0 or more).', days: 'Enter a whole number from 0 to 90.',
      window: '"Up to" must not be before "From".', template: 'Enter an https:// URL that holds {tracking}.',
      slots: 'Write each time as am or 14-16.', sizes: 'Enter whole numbers from 1 to 999, comma-separated.',
      overrides: 'Write "prefecture size fee", with a size from the size classes.', cardNumber: 'Do not enter card numbers here.',
      summary: 'Please check the fields.',
    },
  },
};

export type ShippingMessages = typeof ja;

export function shippingMessages(locale: Locale): ShippingMessages {
  return locale === 'en' ? en : ja;
}
