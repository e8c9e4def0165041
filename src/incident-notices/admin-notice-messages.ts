// Back-office wording of the customer notices and the public notice page (ja/en).
import type { Locale } from '../i18n/locale.ts';
import type { RecipientStatus } from './notice-tables.ts';

const ja = {
  title: (ref: string) => `${ref} お客様への通知`,
  templates: '通知文（テンプレート）',
  placeholders: '使える差し込み項目: {{name}}（氏名）、{{orders}}（対象の注文番号）、{{inquiryDesk}}（お問い合わせ窓口のURL）、{{reference}}（インシデント番号）',
  subjectJa: '件名（日本語）', bodyJa: '本文（日本語）', subjectEn: '件名（英語）', bodyEn: '本文（英語）',
  saveTemplates: 'テンプレートを保存', defaultsShown: '既定の文面を表示しています。編集して保存してください。',
  preview: 'プレビュー', previewFor: '宛先のメールアドレス', showPreview: '表示', noRecipient: '影響範囲にこの宛先は含まれていません。',
  print: '印刷用の書面（郵送用）', subject: '件名', to: '宛先',
  send: '一斉送信', sendIntro: (perMinute: number) => `保存された影響範囲の全員に、1人1通ずつ送信します（毎分最大 ${perMinute} 通。中断しても再開時に同じ人へ二重に送ることはありません）。`,
  startSend: '送信を開始', needScope: '先に影響範囲を保存してください。', alreadySending: '送信中の一斉送信があります。', started: (n: number) => `${n} 人への送信を開始しました。`,
  sends: '送信履歴', startedAt: '開始', finishedAt: '完了', sending: '送信中', done: '完了',
  statuses: { pending: '未送信', sending: '送信処理中', sent: '送信済み', failed: '失敗' } satisfies Record<RecipientStatus, string>,
  total: '合計',
  publicNotice: '公開のお知らせページ（お詫びとお知らせ）', slug: 'URL（/notice/ の後ろ、英小文字・数字・ハイフン）',
  titleJa: 'タイトル（日本語）', titleEn: 'タイトル（英語）', noticeBodyJa: 'お知らせの本文（日本語）', noticeBodyEn: 'お知らせの本文（英語）',
  saveNotice: 'お知らせを保存', publish: '公開する', unpublish: '公開を停止する', published: '公開中', notPublished: '非公開',
  slugTaken: 'このURLは別のお知らせで使われています。',
  invalid: '入力内容を確認してください（未知の差し込み項目やカード番号は使えません）。',
  saved: '保存しました。',
  scope: '影響範囲へ',
};

export type AdminNoticeMessages = typeof ja;

const en: AdminNoticeMessages = {
  title: (ref: string) => `${ref} customer notices`,
  templates: 'Notice text (templates)',
  placeholders: 'Placeholders: {{name}} (name), {{orders}} (order numbers in scope), {{inquiryDesk}} (inquiry desk URL), {{reference}} (incident reference)',
  subjectJa: 'Subject (Japanese)', bodyJa: 'Body (Japanese)', subjectEn: 'Subject (English)', bodyEn: 'Body (English)',
  saveTemplates: 'Save templates', defaultsShown: 'The default wording is shown: edit it and save.',
  preview: 'Preview', previewFor: 'Recipient e-mail', showPreview: 'Show', noRecipient: 'That address is not in the scope.',
  print: 'Printable letter (for post)', subject: 'Subject', to: 'To',
  send: 'Bulk send', sendIntro: (perMinute: number) => `Sends one mail to each person in the stored scope (at most ${perMinute} a minute; an interrupted send resumes without mailing anyone twice).`,
  startSend: 'Start sending', needScope: 'Save the scope first.', alreadySending: 'A send is already running.', started: (n: number) => `Sending to ${n} people.`,
  sends: 'Sends', startedAt: 'Started', finishedAt: 'Finished', sending: 'Sending', done: 'Done',
  statuses: { pending: 'Pending', sending: 'Sending', sent: 'Sent', failed: 'Failed' },
  total: 'Total',
  publicNotice: 'Public notice page', slug: 'URL (after /notice/; lower-case letters, digits, hyphens)',
  titleJa: 'Title (Japanese)', titleEn: 'Title (English)', noticeBodyJa: 'Text (Japanese)', noticeBodyEn: 'Text (English)',
  saveNotice: 'Save notice', publish: 'Publish', unpublish: 'Unpublish', published: 'Published', notPublished: 'Not published',
  slugTaken: 'That URL is used by another notice.',
  invalid: 'Please check the input (unknown placeholders and card numbers are refused).',
  saved: 'Saved.',
  scope: 'Scope',
};

export function adminNoticeMessages(locale: Locale): AdminNoticeMessages {
  return locale === 'ja' ? ja : en;
}
