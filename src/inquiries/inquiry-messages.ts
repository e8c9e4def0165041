// Wording of the inquiry desk (ja/en): the storefront form, the customer's mails, the back office.
import type { Locale } from '../i18n/locale.ts';
import type { InquiryCategory, InquiryStatus } from './inquiry-tables.ts';

const ja = {
  form: {
    title: 'お問い合わせ',
    intro: 'ご質問・ご相談はこちらからお送りください。受付番号をお知らせし、メールでご返信します。',
    cardWarning: 'クレジットカード番号は絶対に入力しないでください。',
    otherWays: 'お電話・メールでのお問い合わせ',
    email: 'メールアドレス',
    orderNumber: '注文番号（任意）',
    category: 'お問い合わせの種類',
    message: 'お問い合わせ内容',
    submit: '送信する',
    errorsSummary: '入力内容をご確認ください。',
    categories: { incident: '不正アクセスに関するお知らせについて', order: 'ご注文について', product: '商品について', other: 'その他' } satisfies Record<InquiryCategory, string>,
    categoryError: 'お問い合わせの種類を選択してください。',
    thanksTitle: 'お問い合わせを受け付けました',
    thanks: (ref: string) => `受付番号は ${ref} です。確認のメールをお送りしました。ご返信までしばらくお待ちください。`,
    thanksNoMail: (ref: string) => `受付番号は ${ref} です。このメールアドレスには本日すでに確認メールを複数お送りしているため、今回の確認メールは送りません。ご返信はメールでお送りします。`,
    dailyLimit: '現在お問い合わせが大変混み合っているため、受け付けを一時停止しています。時間をおいて再度お送りいただくか、お電話でお問い合わせください。',
    reference: '受付番号',
  },
  mail: {
    receivedSubject: (ref: string, shop: string) => `【${shop}】お問い合わせを受け付けました（受付番号 ${ref}）`,
    receivedBody: (ref: string, shop: string) => `お問い合わせいただきありがとうございます。\n\n受付番号: ${ref}\n\n担当者より順次メールでご返信いたします。お問い合わせの際は受付番号をお知らせください。\n\n${shop}`,
    replySubject: (ref: string, shop: string) => `【${shop}】お問い合わせへのご回答（受付番号 ${ref}）`,
  },
  admin: {
    title: 'お問い合わせ',
    perDay: '日別の受付件数',
    reference: '受付番号', email: 'メール', category: '種類', status: '状態', assignee: '担当者', received: '受付日時', orderNumber: '注文番号',
    unassigned: '未割り当て', all: 'すべて', filter: '絞り込む', noInquiries: 'お問い合わせはありません。',
    statuses: { open: '未対応', answered: '回答済み', closed: '完了' } satisfies Record<InquiryStatus, string>,
    replies: '返信履歴', reply: 'メールで返信', sendReply: '返信を送る', update: '更新する', useCanned: '定型文を使う',
    canned: '定型文', cannedTitle: '題名', cannedJa: '本文（日本語）', cannedEn: '本文（英語）', saveCanned: '定型文を保存', newCanned: '新しい定型文',
    replied: '返信をメールで送りました。', updated: '更新しました。', saved: '保存しました。',
    invalid: '入力内容を確認してください（カード番号は入力できません）。',
    message: '内容',
    page: (p: number, n: number) => `${p} / ${n} ページ`,
  },
};

export type InquiryMessages = typeof ja;

const en: InquiryMessages = {
  form: {
    title: 'Contact us',
    intro: 'Send us your question here. You will get a reference number, and we will answer by e-mail.',
    cardWarning: 'Never enter a card number in this form.',
    otherWays: 'By phone or e-mail',
    email: 'E-mail address',
    orderNumber: 'Order number (optional)',
    category: 'What is it about?',
    message: 'Your message',
    submit: 'Send',
    errorsSummary: 'Please check what you entered.',
    categories: { incident: 'The notice about unauthorised access', order: 'An order', product: 'A product', other: 'Something else' },
    categoryError: 'Please choose what your inquiry is about.',
    thanksTitle: 'We have received your inquiry',
    thanks: (ref: string) => `Your reference number is ${ref}. We have sent you a confirmation e-mail and will answer soon.`,
    thanksNoMail: (ref: string) => `Your reference number is ${ref}. This address has already received several confirmation e-mails today, so no confirmation is sent this time. We will answer by e-mail.`,
    dailyLimit: 'We are receiving too many inquiries right now and have paused the form. Please try again later, or contact us by phone.',
    reference: 'Reference number',
  },
  mail: {
    receivedSubject: (ref: string, shop: string) => `[${shop}] We have received your inquiry (reference ${ref})`,
    receivedBody: (ref: string, shop: string) => `Thank you for contacting us.\n\nReference number: ${ref}\n\nWe will answer by e-mail. Please quote the reference number if you write again.\n\n${shop}`,
    replySubject: (ref: string, shop: string) => `[${shop}] Our answer to your inquiry (reference ${ref})`,
  },
  admin: {
    title: 'Inquiries',
    perDay: 'Inquiries per day',
    reference: 'Reference', email: 'E-mail', category: 'Category', status: 'Status', assignee: 'Assignee', received: 'Received', orderNumber: 'Order number',
    unassigned: 'Unassigned', all: 'All', filter: 'Filter', noInquiries: 'No inquiries.',
    statuses: { open: 'Open', answered: 'Answered', closed: 'Closed' },
    replies: 'Replies', reply: 'Reply by e-mail', sendReply: 'Send reply', update: 'Update', useCanned: 'Use a canned answer',
    canned: 'Canned answers', cannedTitle: 'Title', cannedJa: 'Text (Japanese)', cannedEn: 'Text (English)', saveCanned: 'Save canned answer', newCanned: 'New canned answer',
    replied: 'The reply was sent by e-mail.', updated: 'Updated.', saved: 'Saved.',
    invalid: 'Please check what you entered (card numbers are not accepted).',
    message: 'Message',
    page: (p: number, n: number) => `Page ${p} of ${n}`,
  },
};

const MESSAGES: Record<Locale, InquiryMessages> = { ja, en };

export function inquiryMessages(locale: Locale): InquiryMessages {
  return MESSAGES[locale];
}
