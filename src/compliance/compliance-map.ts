// The compliance map: every requirement of PCI DSS v4.0.1 SAQ A and every EC-merchant measure of
// Japan's クレジットカード・セキュリティガイドライン v6.0 that applies to a Mamori shop, each with its
// source and either the automated check that evaluates it or "manual" (a person attests it).
// Kept as TypeScript (typed against the check ids, so a typo fails the type-check) and validated
// by its Zod schema at load; GET /admin/compliance.json is the machine-readable copy.
import { z } from 'zod';

/** Automated checks (compliance-checks.ts implements exactly these). */
export const CHECK_IDS = [
  'external-scan-current',
  'scan-after-change',
  'vulnerability-check-current',
  'advisories-not-overdue',
  'audit-chain-intact',
  'admin-mfa-enforced',
  'admin-ip-allow-list',
  'integrity-approved-clean',
  'page-watch-baseline-approved',
  'page-watch-running-clean',
  'csp-payment-pages-clean',
  'malware-scan-current',
  'pan-scan-clean',
  'password-policy',
  'session-timeouts',
  'admin-lockout',
  'card-testing-guard',
  'incident-process-ready',
  'data-dir-permissions',
  'no-default-accounts',
  'no-generic-accounts',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const FRAMEWORKS = ['pci-dss-v4.0.1-saq-a', 'jp-credit-card-security-guidelines-v6.0'] as const;

const Localized = z.object({ ja: z.string().min(1), en: z.string().min(1) });

export const ComplianceSourceRefSchema = z.object({
  document: z.string().min(1),
  version: z.string().min(1),
  /** The requirement number or heading as the document gives it. */
  section: z.string().min(1),
  /** false: the number or heading could not be checked against a copy of the document here (see note). */
  verified: z.boolean(),
  note: z.string().optional(),
});

export const ComplianceMapItemSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  framework: z.enum(FRAMEWORKS),
  reference: z.string().min(1),
  title: Localized,
  source: ComplianceSourceRefSchema,
  /** An automated check id, or "manual" for an attestation. */
  check: z.union([z.enum(CHECK_IDS), z.literal('manual')]),
  /** Manual items: how long an attestation holds before it must be renewed. */
  attestationValidDays: z.number().int().positive().max(1096).optional(),
  /** Manual items that software could check once Mamori records the data (the closing note lists them). */
  automatable: z.string().optional(),
});
export type ComplianceMapItem = z.infer<typeof ComplianceMapItemSchema>;

export const ComplianceMapSchema = z.array(ComplianceMapItemSchema).min(1).superRefine((items, ctx) => {
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id ${item.id}` });
    seen.add(item.id);
    if (item.check === 'manual' && item.attestationValidDays === undefined) ctx.addIssue({ code: 'custom', path: [i, 'attestationValidDays'], message: 'a manual item needs attestationValidDays' });
  }
});

const SAQ_A = { document: 'PCI DSS Self-Assessment Questionnaire A and Attestation of Compliance', version: 'v4.0.1 r1 (January 2025)' } as const;
const PCI_R1_REMOVED = 'Removed from SAQ A in v4.0.1 r1 (January 2025) and replaced by the eligibility criterion that the site is not susceptible to script attacks; kept because the page watch is how this shop meets that criterion (and SAQ A-EP merchants need it).';
const NUMBER_FROM_DSS = 'Requirement number taken from PCI DSS v4.0.1; the SAQ A r1 list itself was not available here to confirm it is in SAQ A.';
const JP = { document: 'クレジットカード・セキュリティガイドライン（クレジット取引セキュリティ対策協議会）', version: '6.0版 (2025-03)' } as const;
const JP_HEADING = 'One of the five EC-merchant 脆弱性対策 named by the guideline (checked against published summaries); the guideline\'s own section number was not available here.';
const JP_UNVERIFIED = 'Measure of the guideline for EC merchants as summarised publicly; neither its wording nor its section number could be checked against the guideline itself here.';

const sourceRef = (doc: { document: string; version: string }, section: string, verified: boolean, note: string | undefined) =>
  ({ ...doc, section, verified, ...(note ? { note } : {}) });
const pci = (id: string, reference: string, title: { ja: string; en: string }, check: CheckId | 'manual', extra: { verified?: boolean; note?: string; days?: number; automatable?: string } = {}): ComplianceMapItem => ({
  id: `pci-${id}`, framework: 'pci-dss-v4.0.1-saq-a', reference, title,
  source: sourceRef(SAQ_A, reference, extra.verified ?? false, extra.note ?? (extra.verified ? undefined : NUMBER_FROM_DSS)),
  check, ...(check === 'manual' ? { attestationValidDays: extra.days ?? 365 } : {}), ...(extra.automatable ? { automatable: extra.automatable } : {}),
});
const jp = (id: string, reference: string, title: { ja: string; en: string }, check: CheckId | 'manual', extra: { heading?: boolean; note?: string; days?: number; automatable?: string } = {}): ComplianceMapItem => ({
  id: `jp-${id}`, framework: 'jp-credit-card-security-guidelines-v6.0', reference, title,
  source: sourceRef(JP, reference, extra.heading ?? false, extra.note ?? (extra.heading ? JP_HEADING : JP_UNVERIFIED)),
  check, ...(check === 'manual' ? { attestationValidDays: extra.days ?? 365 } : {}), ...(extra.automatable ? { automatable: extra.automatable } : {}),
});

const ITEMS: ComplianceMapItem[] = [
  // SAQ A eligibility criteria (Part 2g): the conditions under which SAQ A is the right questionnaire.
  pci('eligibility.outsourced', 'Eligibility: all account-data functions outsourced to a PCI DSS compliant TPSP', { ja: 'カード情報の処理をすべてPCI DSS準拠の決済事業者に委託している', en: 'All account-data functions are outsourced to PCI DSS compliant TPSPs' }, 'manual', { verified: true, note: 'Eligibility criterion of SAQ A (checked against published comparisons of the v4.0.1 documents).' }),
  pci('eligibility.no-electronic-account-data', 'Eligibility: no electronic storage, processing or transmission of account data', { ja: 'カード情報を電子的に保存・処理・通過させていない（カード番号検索で確認）', en: 'No account data is stored, processed or transmitted electronically (checked by the card-number scan)' }, 'pan-scan-clean', { verified: true, note: 'Eligibility criterion of SAQ A.' }),
  pci('eligibility.scripts', 'Eligibility (v4.0.1 r1): site not susceptible to attacks from scripts', { ja: '決済へ至るページがスクリプト攻撃の影響を受けない（厳格なCSP、違反報告なし）', en: 'The site is not susceptible to script attacks (strict CSP, no violation reports on the way to payment)' }, 'csp-payment-pages-clean', { verified: true, note: 'Added as an eligibility criterion in SAQ A v4.0.1 r1 (January 2025).' }),
  pci('eligibility.files', 'Eligibility (v4.0.1 r1): the server files that produce the payment redirect are unchanged', { ja: '決済への遷移を生成するサーバー上のファイルが承認済みの状態から変わっていない', en: 'The server files that produce the redirect to payment match the approved baseline' }, 'integrity-approved-clean', { verified: true, note: 'Supports the r1 eligibility criterion on script attacks; PCI SSC FAQ on Requirements 2, 6 and 8 for SAQ A: the redirection mechanism must be protected.' }),
  // Requirement 2
  pci('2.2.2', '2.2.2', { ja: 'ベンダー既定のアカウントを管理している（既定・未設定のまま残るアカウントがない）', en: 'Vendor default accounts are managed (no default or never-set-up account left enabled)' }, 'no-default-accounts'),
  // Requirement 3
  pci('3.1.1', '3.1.1', { ja: '要件3のセキュリティポリシーと運用手順が文書化され、周知されている', en: 'Security policies and procedures for Requirement 3 are documented and known' }, 'manual'),
  pci('3.2.1', '3.2.1', { ja: '保持するカード情報（紙のみ）を最小限にし、保持期間を定めている', en: 'Account data kept (paper only) is minimised and has a retention period' }, 'manual'),
  // Requirement 6
  pci('6.3.1', '6.3.1', { ja: '脆弱性を業界の情報源から特定し、リスクを評価している（脆弱性チェックが最新）', en: 'Vulnerabilities are identified from industry sources and ranked (the vulnerability check is current)' }, 'vulnerability-check-current'),
  pci('6.3.3', '6.3.3', { ja: '重大・高リスクの脆弱性が期限内に修正されている（重大7日・高30日）', en: 'Critical and high vulnerabilities are patched in time (critical 7 days, high 30)' }, 'advisories-not-overdue'),
  pci('6.4.3', '6.4.3', { ja: '決済ページのスクリプトが承認され、一覧化されている（ページ監視の承認済みベースライン）', en: 'Payment-page scripts are authorised and inventoried (an approved page-watch baseline)' }, 'page-watch-baseline-approved', { note: PCI_R1_REMOVED }),
  // Requirement 8
  pci('8.2.1', '8.2.1', { ja: '管理者ごとに固有のIDが割り当てられている（共用していない）', en: 'Every administrator has a unique ID (accounts are not shared)' }, 'manual', { automatable: 'Mamori enforces unique e-mail addresses, but whether two people share one account only people can say.' }),
  pci('8.2.2', '8.2.2', { ja: 'グループ・共用・汎用アカウントを使っていない', en: 'No group, shared or generic accounts are used' }, 'no-generic-accounts'),
  pci('8.2.5', '8.2.5', { ja: '退職・契約終了者のアクセスを直ちに無効にしている', en: 'Access of terminated users is revoked immediately' }, 'manual', { days: 90, automatable: 'Partly: expired vendor time-boxes could be checked; a leaver is known only to HR.' }),
  pci('8.3.1', '8.3.1', { ja: '管理者の認証にパスワードと二要素目（TOTP）を使っている', en: 'Administrators authenticate with a password and a second factor (TOTP)' }, 'admin-mfa-enforced'),
  pci('8.3.5', '8.3.5', { ja: '初回・リセット時のパスワードは利用者ごとに設定され、初回利用後に変更される', en: 'First-time and reset passwords are unique per user and changed after first use' }, 'manual', { automatable: 'Mamori has no temporary passwords (setup links are single-use); attest how accounts are handed over.' }),
  pci('8.3.6', '8.3.6', { ja: 'パスワードは12文字以上で、推測されやすいものを拒否している', en: 'Passwords are at least 12 characters and common ones are refused' }, 'password-policy'),
  pci('8.3.7', '8.3.7', { ja: '直近4回と同じパスワードを使えない', en: 'A new password may not equal any of the last four' }, 'manual', { automatable: 'Needs a password-change feature with history in Mamori (not built yet).' }),
  pci('8.3.9', '8.3.9', { ja: 'パスワードだけの認証ではない（二要素認証により定期変更は不要）', en: 'Passwords are not the only factor (with MFA, periodic changes are not required)' }, 'admin-mfa-enforced'),
  // Requirement 9 (paper only for SAQ A)
  pci('9.4.1', '9.4.1–9.4.4', { ja: 'カード情報を含む媒体（紙）を物理的に保護し、分類・移送・管理している', en: 'Media (paper) with account data are physically secured, classified, moved and controlled' }, 'manual'),
  pci('9.4.6', '9.4.6', { ja: '不要になったカード情報を含む紙媒体を復元できないよう破棄している', en: 'Hard-copy materials with account data are destroyed when no longer needed' }, 'manual'),
  // Requirement 11
  pci('11.3.2', '11.3.2', { ja: '外部脆弱性スキャンが合格し、90日以内に実施されている', en: 'An external vulnerability scan passed within the last 90 days' }, 'external-scan-current'),
  pci('11.3.2.asv', '11.3.2 (ASV)', { ja: '外部スキャンをPCI SSC認定スキャンベンダー（ASV）が四半期ごとに実施し合格している', en: 'The quarterly external scan is done and passed by a PCI SSC Approved Scanning Vendor' }, 'manual', { days: 92, automatable: 'Could read the ASV\'s report if it were imported; Mamori\'s own scan is ASV-style, not an ASV scan.' }),
  pci('11.3.2.1', '11.3.2.1', { ja: '重要な変更（承認済みの配備）の後に外部スキャンが合格している', en: 'An external scan passed after the latest significant change (an approved deploy)' }, 'scan-after-change'),
  pci('11.6.1', '11.6.1', { ja: '決済ページの変更・改ざんを検知する仕組みが動作し、検知がない', en: 'A change- and tamper-detection mechanism runs on the payment pages and finds nothing' }, 'page-watch-running-clean', { note: PCI_R1_REMOVED }),
  // Requirement 12
  pci('12.8.1', '12.8.1', { ja: 'カード情報を扱う委託先（TPSP）の一覧を維持している', en: 'A list of TPSPs with which account data is shared is maintained' }, 'manual'),
  pci('12.8.2', '12.8.2', { ja: '委託先と書面で契約し、カード情報の保護責任を定めている', en: 'Written agreements with TPSPs acknowledge their responsibility for account data' }, 'manual', { verified: true, note: 'Listed in SAQ A v4.0.1 r1 (published comparison of the documents).' }),
  pci('12.8.3', '12.8.3', { ja: '委託先の選定前に適切な確認（デューデリジェンス）を行っている', en: 'TPSPs are engaged after proper due diligence' }, 'manual'),
  pci('12.8.4', '12.8.4', { ja: '委託先のPCI DSS準拠状況を少なくとも年1回確認している', en: 'The PCI DSS compliance status of TPSPs is monitored at least once every 12 months' }, 'manual', { automatable: 'Could track the TPSP\'s AOC expiry if it were recorded; the attestation\'s expiry does this by hand.' }),
  pci('12.8.5', '12.8.5', { ja: '委託先と自社の責任分担を文書化している', en: 'Which requirements the TPSP and the merchant manage is documented' }, 'manual'),
  pci('12.10.1', '12.10.1', { ja: 'インシデント対応計画を作成し、関係者に周知している', en: 'An incident response plan exists and is known to those who act on it' }, 'manual'),
  pci('12.10.1.readiness', '12.10.1 (readiness)', { ja: 'インシデント対応の仕組みが使える状態にある（記録機能、警報の送り先、オーナー）', en: 'The incident tooling is ready (incident record, an alert channel, an owner)' }, 'incident-process-ready', { note: 'Supporting check for 12.10.1: the written plan itself is attested separately.' }),
  pci('12.10.1.evidence', '12.10.1 (evidence)', { ja: '監査ログのハッシュチェーンが検証でき、証拠が保全されている', en: 'The audit log\'s hash chain verifies, so evidence is preserved' }, 'audit-chain-intact', { note: 'Supporting check for 12.10.1: an incident response depends on an intact record of who did what.' }),

  // クレジットカード・セキュリティガイドライン v6.0, EC加盟店の脆弱性対策 (①–⑤) and related measures.
  jp('admin-access', '① システム管理画面のアクセス制限', { ja: '管理画面へのアクセスを許可したIPアドレスに制限している', en: 'The back office is reachable only from allowed IP addresses' }, 'admin-ip-allow-list', { heading: true }),
  jp('admin-mfa', '① 管理者のID/パスワード管理（二段階認証）', { ja: '管理者のログインに二段階認証（TOTP）を必須にしている', en: 'Administrator sign-in requires a second factor (TOTP)' }, 'admin-mfa-enforced', { heading: true }),
  jp('admin-password', '① 管理者のID/パスワード管理（パスワード）', { ja: '管理者のパスワードは推測されにくいものに限っている', en: 'Administrator passwords must be hard to guess' }, 'password-policy', { heading: true }),
  jp('admin-lockout', '① 管理者のID/パスワード管理（ログイン試行の制限）', { ja: 'ログインの失敗が続くとロックする（10回以内、30分以上）', en: 'Repeated failed sign-ins lock (at most 10 tries, at least 30 minutes)' }, 'admin-lockout', { heading: true, note: `${JP_HEADING} Thresholds follow PCI DSS 8.3.4.` }),
  jp('admin-session', '① 管理者のID/パスワード管理（セッション）', { ja: '操作のない管理セッションは15分で終了する', en: 'Idle back-office sessions end after 15 minutes' }, 'session-timeouts', { heading: true }),
  jp('admin-ids', '① 管理者のID/パスワード管理（不要・共用ID）', { ja: '不要なID・既定のIDが残っていない', en: 'No unneeded or default IDs are left' }, 'no-default-accounts', { heading: true }),
  jp('data-directory', '② データディレクトリの露見に伴う設定不備への対策', { ja: 'データディレクトリとデータベースファイルが他のユーザーから読めない（0700/0600）', en: 'The data directory and database files are not readable by other users (0700/0600)' }, 'data-dir-permissions', { heading: true }),
  jp('data-directory-exposure', '② データディレクトリの露見に伴う設定不備への対策（公開設定）', { ja: '外部スキャンで公開ディレクトリ・設定ファイルの露出が見つかっていない', en: 'The external scan finds no exposed directory or configuration file' }, 'external-scan-current', { heading: true }),
  jp('webapp-patches', '③ Webアプリケーションの脆弱性対策', { ja: '使用するソフトウェアの既知の脆弱性が期限内に修正されている', en: 'Known vulnerabilities of the software in use are fixed in time' }, 'advisories-not-overdue', { heading: true }),
  jp('webapp-tampering', '③ Webアプリケーションの脆弱性対策（改ざん検知）', { ja: 'サーバー上のファイルの改ざんを検知し、検知がない', en: 'Tampering with the server\'s files is detected, and none is found' }, 'integrity-approved-clean', { note: 'File-tampering detection as a web-application measure; the guideline\'s exact wording for it could not be checked here.' }),
  jp('webapp-diagnosis', '③ Webアプリケーションの脆弱性対策（脆弱性診断・ペネトレーションテスト）', { ja: '脆弱性診断又はペネトレーションテストを定期的に実施し、必要な修正をしている', en: 'Vulnerability assessments or penetration tests are done regularly and findings fixed' }, 'manual', { heading: true, note: 'Named under measure ③ in published summaries of v6.0; section number not checked here.', automatable: 'Mamori\'s external scan covers part of it; a third-party diagnosis report is attested.' }),
  jp('antivirus', '④ マルウェア対策としてのウイルス対策ソフトの導入、運用', { ja: 'ウイルス対策（ClamAV）が設定され、最新の走査で検出がない', en: 'Anti-virus (ClamAV) is configured and its latest scan found nothing' }, 'malware-scan-current', { heading: true }),
  jp('card-testing', '⑤ 悪質な有効性確認、クレジットマスターへの対策', { ja: '支払いの試行回数制限と拒否の繰り返しによるブロックが有効', en: 'Payment-attempt limits and blocking after repeated declines are in force' }, 'card-testing-guard', { heading: true }),
  jp('non-retention', 'カード情報の非保持化', { ja: 'カード番号が店舗のデータベース・ファイル・ログに存在しない', en: 'No card number is found in the shop\'s database, files or logs' }, 'pan-scan-clean'),
  jp('emv-3ds', '不正利用対策（EMV 3-Dセキュア）', { ja: 'EMV 3-Dセキュアを決済事業者で導入している', en: 'EMV 3-D Secure is enabled at the payment provider' }, 'manual', { automatable: 'Could be read from the payment provider\'s API for providers that expose it.' }),
  jp('fraudulent-login', '不正利用対策（不正ログイン対策）', { ja: '会員ログインへの不正ログイン対策をしている（会員機能がなければ該当なしと記録）', en: 'Customer sign-in is protected against account takeover (attest "not applicable" without customer accounts)' }, 'manual'),
  jp('incident-response', '漏えい等の事故発生時の対応', { ja: 'カード会社・決済代行会社への報告を含む事故対応手順がある', en: 'A breach procedure exists, including reporting to the card companies and the PSP' }, 'manual'),
];

/** The map, validated once at load: a malformed item stops the shop rather than showing a wrong status. */
export const COMPLIANCE_MAP: readonly ComplianceMapItem[] = ComplianceMapSchema.parse(ITEMS);
