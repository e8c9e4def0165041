// The report's words in Japanese and English. Figures come from the document; only labels are here.
import type { MonthlyReportSectionId } from './report-contract.ts';
import type { SectionStatus } from './report-schema.ts';

export const reportMessagesJa = {
  title: (month: string) => `月次セキュリティ報告書 ${month}`,
  heading: '月次セキュリティ報告書',
  period: '対象期間',
  generatedAt: '作成日時',
  shop: 'ショップ',
  timeZone: 'タイムゾーン',
  draftNote: 'この報告書の数値はすべて Mamori が記録したデータから自動で集計したものです。',
  sections: {
    summary: '概要', 'what-runs': '稼働しているソフトウェア', vulnerabilities: '既知の脆弱性', 'external-scans': '外部スキャン',
    'integrity-page-watch': '改ざん検知とページ監視', access: '管理画面へのアクセス', payments: '決済', 'card-data': 'カード情報の非保持確認',
    'audit-chain': '監査ログの完全性', incidents: 'インシデント', compliance: 'コンプライアンス', 'open-actions': '前月からの未完了の対応',
  } satisfies Record<MonthlyReportSectionId, string>,
  status: { green: '良好', amber: '要確認', red: '要対応', 'not-collected': '未収集' } satisfies Record<SectionStatus, string>,
  overall: '総合評価',
  notCollected: '未収集',
  reason: '理由',
  comment: 'ベンダーのコメント',
  previousMonth: '前月',
  thisMonth: '当月',
  figure: '項目',
  sectionStatus: '区分',
  changes: '前月からの変化',
  actions: '当月の対応事項',
  none: 'なし',
  yes: 'はい',
  no: 'いいえ',
  more: (n: number) => `ほか ${n} 件`,
  figures: {
    'vulnerabilities.open': '未解決の脆弱性', 'vulnerabilities.overdue': '期限超過の脆弱性', 'external-scans.findings': '外部スキャンの検出事項',
    'integrity-page-watch.alerts': '改ざん・ページ監視の警告', 'access.logins': '管理画面へのログイン', 'access.failures': 'ログイン失敗', 'access.lockouts': 'ロックアウト',
    'payments.card-testing-blocks': 'カードテスティングの遮断', 'payments.declines': '決済の拒否', 'incidents.opened': '新規インシデント',
  } as Record<string, string>,
  whatRuns: {
    snapshot: '取得日時', node: 'Node.js', openssl: 'OpenSSL（Node.js 内蔵）', systemOpenssl: 'OpenSSL（OS）', database: 'データベース', phase: 'サポート段階', eolDate: 'サポート終了日',
    counts: '構成要素の数', total: '合計', npm: 'npm パッケージ', os: 'OS パッケージ', runtimeLibraries: 'ランタイム内蔵ライブラリ',
    added: '追加', removed: '削除', upgraded: '更新', noPrevious: '前月のスナップショットがないため、差分は比較できません。', eolWarnings: 'サポート終了の警告', ended: 'サポート終了済み', ending: 'サポート終了予定',
    kind: '種類', name: '名前', version: 'バージョン', from: '旧', to: '新',
  },
  vulns: {
    lastCheck: '最新のチェック', checksInMonth: '当月のチェック回数', open: '未解決', new: '新規', fixed: '修正済み', overdue: '期限超過', targets: '修正期限（検出からの日数）',
    severity: '深刻度', advisory: 'アドバイザリ', component: '構成要素', firstSeen: '初回検出', fixedAt: '修正日', age: '経過日数', target: '期限', state: '状態',
    states: { open: '未解決', fixed: '修正済み' }, chart: '未解決の脆弱性（経過日数別）', days: '日',
    severities: { critical: '緊急', high: '高', medium: '中', low: '低' } as Record<string, string>,
  },
  scans: {
    runs: '当月のスキャン回数', passing: '合格', failing: '不合格', target: '対象', lastScan: '最新のスキャン', verdict: '判定', findings: '検出事項',
    lastPass: '最新の合格', due: '四半期スキャンの期限', overdue: '期限切れ', verdicts: { pass: '合格', fail: '不合格' } as Record<string, string>, chart: '外部スキャンの検出事項（12か月）',
    id: 'ID', title: '内容', severity: '深刻度', month: '月', count: '件数',
  },
  watch: {
    alerts: '警告', unacknowledged: '未確認の警告', kind: '種類', severity: '深刻度', count: '件数', approvals: 'ベースラインの記録・承認', action: '操作', at: '日時', actor: '実施者',
    integrityRuns: 'ファイル改ざんチェック', pageWatchRuns: '決済ページ監視', runs: '実行回数', clean: '異常なし', findings: '検出あり', error: 'エラー',
  },
  access: {
    logins: 'ログイン成功', failures: 'ログイン失敗', lockouts: 'ロックアウト', newAddresses: '新しい接続元からのログイン', newDevices: '新しいブラウザからのログイン',
    vendorSessions: 'ベンダーのログイン', offHours: 'ベンダーの時間外ログイン', vendorActions: 'ベンダーの操作（監査ログ）', accountChanges: 'アカウントと権限の変更',
    action: '操作', count: '件数', at: '日時', target: '対象', actor: '実施者', detail: '内容', chart: 'ログイン失敗（日別）', date: '日付',
  },
  payments: {
    velocityBlocks: '試行回数制限による遮断', declineBlocks: '連続拒否による遮断', declines: 'カード会社による拒否', reviewCases: '確認待ちになった注文',
    amountMismatches: '金額不一致', paidOrders: '支払い済みの注文', note: '件数のみ。個人情報は含みません。',
  },
  cardData: { runs: '当月の検索回数', findingsRuns: '検出のあった回', errorRuns: 'エラーの回', latest: '最新の結果', outcomes: { clean: '検出なし', findings: 'カード番号を検出', error: 'エラー' } as Record<string, string> },
  audit: {
    verifiedAt: '検証日時', result: '検証結果', ok: 'ハッシュチェーンは正常です', broken: 'ハッシュチェーンが壊れています', entries: '記録件数', head: '最新のハッシュ',
    monthEndHead: '月末時点のハッシュ', entriesInMonth: '当月の記録件数', breakAt: '破損箇所',
  },
  incidents: { opened: '当月に開始', closed: '当月に終了', openAtEnd: '月末時点で対応中', reference: '番号', title: '件名', status: '状態', awareAt: '認知日時', closedAt: '終了日時', statuses: { open: '対応中', closed: '終了' } as Record<string, string> },
  compliance: { evaluatedAt: '評価日時', automated: '自動チェック', manual: '手動の証明', passing: '適合', failing: '不適合', notCollected: '未収集', reference: '要件', title: '内容', kind: '方式', status: '状態' },
  openActions: { text: '対応事項', owner: '担当', due: '期限', status: '状態', overdue: '期限超過', statuses: { open: '未完了', done: '完了' } as Record<string, string> },
};

export type ReportMessages = typeof reportMessagesJa;

export const reportMessagesEn: ReportMessages = {
  title: (month) => `Monthly security report ${month}`,
  heading: 'Monthly security report',
  period: 'Period',
  generatedAt: 'Generated',
  shop: 'Shop',
  timeZone: 'Time zone',
  draftNote: 'Every figure in this report was counted by Mamori from what the shop recorded.',
  sections: {
    summary: 'Summary', 'what-runs': 'What runs', vulnerabilities: 'Known vulnerabilities', 'external-scans': 'External scans',
    'integrity-page-watch': 'Integrity and page watch', access: 'Back-office access', payments: 'Payments', 'card-data': 'Card-data check',
    'audit-chain': 'Audit chain', incidents: 'Incidents', compliance: 'Compliance', 'open-actions': 'Open actions from last month',
  },
  status: { green: 'Green', amber: 'Amber', red: 'Red', 'not-collected': 'Not collected' },
  overall: 'Overall status',
  notCollected: 'Not collected',
  reason: 'Reason',
  comment: "Vendor's comment",
  previousMonth: 'Last month',
  thisMonth: 'This month',
  figure: 'Figure',
  sectionStatus: 'Section',
  changes: 'What changed since last month',
  actions: "This month's actions",
  none: 'None',
  yes: 'yes',
  no: 'no',
  more: (n) => `and ${n} more`,
  figures: {
    'vulnerabilities.open': 'Open vulnerabilities', 'vulnerabilities.overdue': 'Overdue vulnerabilities', 'external-scans.findings': 'External scan findings',
    'integrity-page-watch.alerts': 'Integrity and page-watch alerts', 'access.logins': 'Back-office sign-ins', 'access.failures': 'Failed sign-ins', 'access.lockouts': 'Lockouts',
    'payments.card-testing-blocks': 'Card-testing blocks', 'payments.declines': 'Declined payments', 'incidents.opened': 'New incidents',
  },
  whatRuns: {
    snapshot: 'Taken', node: 'Node.js', openssl: 'OpenSSL (in Node.js)', systemOpenssl: 'OpenSSL (system)', database: 'Database', phase: 'Release phase', eolDate: 'End of life',
    counts: 'Components', total: 'Total', npm: 'npm packages', os: 'OS packages', runtimeLibraries: 'Runtime libraries',
    added: 'Added', removed: 'Removed', upgraded: 'Upgraded', noPrevious: 'No snapshot of last month: changes cannot be compared.', eolWarnings: 'End-of-life warnings', ended: 'ended', ending: 'ends soon',
    kind: 'Kind', name: 'Name', version: 'Version', from: 'From', to: 'To',
  },
  vulns: {
    lastCheck: 'Latest check', checksInMonth: 'Checks this month', open: 'Open', new: 'New', fixed: 'Fixed', overdue: 'Overdue', targets: 'Remediation targets (days from detection)',
    severity: 'Severity', advisory: 'Advisory', component: 'Component', firstSeen: 'First seen', fixedAt: 'Fixed', age: 'Age (days)', target: 'Target', state: 'State',
    states: { open: 'open', fixed: 'fixed' }, chart: 'Open vulnerabilities by age', days: 'days',
    severities: { critical: 'critical', high: 'high', medium: 'medium', low: 'low' },
  },
  scans: {
    runs: 'Scans this month', passing: 'Passing', failing: 'Failing', target: 'Target', lastScan: 'Latest scan', verdict: 'Verdict', findings: 'Findings',
    lastPass: 'Latest pass', due: 'Quarterly scan due', overdue: 'overdue', verdicts: { pass: 'pass', fail: 'fail' }, chart: 'External scan findings over 12 months',
    id: 'ID', title: 'Finding', severity: 'Severity', month: 'Month', count: 'Count',
  },
  watch: {
    alerts: 'Alerts', unacknowledged: 'Unacknowledged alerts', kind: 'Kind', severity: 'Severity', count: 'Count', approvals: 'Baselines recorded and approved', action: 'Action', at: 'When', actor: 'By',
    integrityRuns: 'File integrity check', pageWatchRuns: 'Payment page watch', runs: 'Runs', clean: 'Clean', findings: 'Findings', error: 'Errors',
  },
  access: {
    logins: 'Successful sign-ins', failures: 'Failed sign-ins', lockouts: 'Lockouts', newAddresses: 'Sign-ins from new addresses', newDevices: 'Sign-ins from new browsers',
    vendorSessions: 'Vendor sign-ins', offHours: 'Vendor sign-ins outside hours', vendorActions: 'What vendors did (audit log)', accountChanges: 'Account and role changes',
    action: 'Action', count: 'Count', at: 'When', target: 'Target', actor: 'By', detail: 'Change', chart: 'Failed sign-ins per day', date: 'Date',
  },
  payments: {
    velocityBlocks: 'Blocked by attempt limits', declineBlocks: 'Blocked after repeated declines', declines: 'Declined by the card issuer', reviewCases: 'Orders put under review',
    amountMismatches: 'Amount mismatches', paidOrders: 'Paid orders', note: 'Counts only, no personal data.',
  },
  cardData: { runs: 'Searches this month', findingsRuns: 'Runs with findings', errorRuns: 'Runs with errors', latest: 'Latest result', outcomes: { clean: 'no card number found', findings: 'card numbers found', error: 'error' } },
  audit: {
    verifiedAt: 'Verified at', result: 'Result', ok: 'The hash chain is intact', broken: 'The hash chain is broken', entries: 'Entries', head: 'Chain head hash',
    monthEndHead: "Head at the month's end", entriesInMonth: 'Entries this month', breakAt: 'First bad entry',
  },
  incidents: { opened: 'Opened this month', closed: 'Closed this month', openAtEnd: "Open at the month's end", reference: 'Reference', title: 'Title', status: 'Status', awareAt: 'Aware at', closedAt: 'Closed at', statuses: { open: 'open', closed: 'closed' } },
  compliance: { evaluatedAt: 'Evaluated at', automated: 'Automated', manual: 'Manual', passing: 'Passing', failing: 'Failing', notCollected: 'Not collected', reference: 'Requirement', title: 'Title', kind: 'Kind', status: 'Status' },
  openActions: { text: 'Action', owner: 'Owner', due: 'Due', status: 'Status', overdue: 'overdue', statuses: { open: 'open', done: 'done' } },
};

export function reportMessages(locale: 'ja' | 'en'): ReportMessages {
  return locale === 'ja' ? reportMessagesJa : reportMessagesEn;
}
