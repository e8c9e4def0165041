// What the back office says about file integrity, in Japanese and English (kept with the
// feature so the shared catalogs only grow by what every page needs).
import type { Locale } from '../i18n/locale.ts';

export interface IntegrityMessages {
  title: string;
  statusLabel: string;
  latest: string;
  never: string;
  outcomes: Record<'clean' | 'findings' | 'error', string>;
  ranAt: string;
  summary: string;
  findings: string;
  pausesCheckout: string;
  baseline: string;
  baselineTrust: Record<'trust-on-first-use' | 'approved', string>;
  tofuWarning: string;
  recordedAt: string;
  recordedBy: string;
  files: string;
  noBaseline: string;
  baselineUnreadable: (problem: string) => string;
  approveTitle: string;
  approveIntro: string;
  approveDoesNotResume: string;
  code: string;
  approve: string;
  approved: (changes: number) => string;
  approveFailed: (detail: string) => string;
  details: string;
  cli: string;
}

const ja: IntegrityMessages = {
  title: 'ファイル改ざん検知',
  statusLabel: 'ファイル改ざん検知',
  latest: '最新の検査',
  never: 'まだ検査していません',
  outcomes: { clean: '異常なし', findings: '変更あり', error: '検査できませんでした' },
  ranAt: '検査日時',
  summary: '結果',
  findings: '見つかった変更',
  pausesCheckout: 'カード決済を停止する変更',
  baseline: '基準（マニフェスト）',
  baselineTrust: { 'trust-on-first-use': '初回起動時に自動記録（未承認）', approved: '承認済み' },
  tofuWarning: 'この基準は初回起動時に無条件で記録されました。インストールが正しいことを確認してから承認してください。',
  recordedAt: '記録日時',
  recordedBy: '記録者',
  files: 'ファイル数',
  noBaseline: 'まだ基準がありません。ショップの初回起動時に記録されます。',
  baselineUnreadable: (problem) => `基準を信頼できません（${problem}）。改ざんとして扱ってください。`,
  approveTitle: '現在のインストールを承認',
  approveIntro: 'デプロイ後に、現在のファイルを新しい基準として記録します。承認者と変更の一覧は監査ログに残ります。',
  approveDoesNotResume: '承認しても一時停止は解除されません（一時停止ページで解除します）。',
  code: '認証アプリの確認コード（6桁）',
  approve: '承認する',
  approved: (n) => `現在のインストールを承認しました（${n}件の変更を受け入れ）。`,
  approveFailed: (d) => `承認できませんでした: ${d}`,
  details: '詳細',
  cli: 'コマンド: npm run mamori -- integrity verify',
};

const en: IntegrityMessages = {
  title: 'File integrity',
  statusLabel: 'File integrity',
  latest: 'Latest check',
  never: 'Not checked yet',
  outcomes: { clean: 'No change', findings: 'Changes found', error: 'Could not check' },
  ranAt: 'Checked at',
  summary: 'Result',
  findings: 'Changes found',
  pausesCheckout: 'Changes that pause card payments',
  baseline: 'Baseline (manifest)',
  baselineTrust: { 'trust-on-first-use': 'recorded on trust at the first start (not approved)', approved: 'approved' },
  tofuWarning: 'This baseline was recorded on trust at the first start. Check the installation, then approve it.',
  recordedAt: 'Recorded at',
  recordedBy: 'Recorded by',
  files: 'Files',
  noBaseline: 'No baseline yet: the shop records one at its first start.',
  baselineUnreadable: (problem) => `The baseline cannot be trusted (${problem}): treat the installation as tampered with.`,
  approveTitle: 'Approve the installation as it is now',
  approveIntro: 'After a deploy: records the current files as the new baseline. The audit log keeps who approved and every change.',
  approveDoesNotResume: 'Approving does not lift a pause (lift it on the pause page).',
  code: 'Code from your authenticator app (6 digits)',
  approve: 'Approve',
  approved: (n) => `The installation was approved (${n} change${n === 1 ? '' : 's'} accepted).`,
  approveFailed: (d) => `Could not approve: ${d}`,
  details: 'Details',
  cli: 'Command: npm run mamori -- integrity verify',
};

export function integrityMessagesFor(locale: Locale): IntegrityMessages {
  return locale === 'ja' ? ja : en;
}
