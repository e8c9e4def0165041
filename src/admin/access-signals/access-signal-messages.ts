// Strings of the admin-access signals on the dashboard, both languages; reached as
// `m.accessSignals` from admin-messages-{ja,en}.ts.
import type { AccessActivityMetric } from './access-activity.ts';

export const accessSignalMessagesJa = {
  activity: {
    title: '管理画面へのアクセス（過去30日）',
    caption: (timeZone: string) => `日ごとの件数（日付は${timeZone}）。監査ログから集計しています。`,
    day: '日付',
    total: '30日合計',
    metrics: {
      logins: 'ログイン', failures: 'ログイン失敗', lockouts: 'ロック', newAddresses: '新しいアドレスから', vendorSessions: 'ベンダーのセッション',
    } satisfies Record<AccessActivityMetric, string>,
  },
  mfaReset: { code: 'あなたの確認コード（6桁。2段階認証をリセットするときに必要）' },
};

export type AccessSignalMessages = typeof accessSignalMessagesJa;

export const accessSignalMessagesEn: AccessSignalMessages = {
  activity: {
    title: 'Back-office access (last 30 days)',
    caption: (timeZone: string) => `Counts per day (dates in ${timeZone}), from the audit log.`,
    day: 'Date',
    total: '30-day total',
    metrics: {
      logins: 'Sign-ins', failures: 'Failed sign-ins', lockouts: 'Lockouts', newAddresses: 'From new addresses', vendorSessions: 'Vendor sessions',
    },
  },
  mfaReset: { code: 'Your confirmation code (6 digits; needed to reset two-step verification)' },
};
