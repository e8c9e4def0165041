// Every automated check of the compliance map, on both databases: it reports "fail" when its
// condition is false and "pass" when it is true, by recording what the check reads (scans, security
// checks, watcher results, sessions, files) or configuring what it inspects — never by mocking the check.
import { chmodSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { loadConfig, type ShopConfig } from '../config/config.ts';
import { DEFAULT_VELOCITY_LIMITS } from '../payments/card-testing-guard.ts';
import { adminDb } from '../admin/admin-tables.ts';
import { createAccount } from '../admin/admin-accounts.ts';
import { openSession } from '../admin/admin-sessions.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { defaultAuditAnchorsFile } from '../audit/audit-anchors.ts';
import { recordWatchResult } from '../watch-results/watch-results.ts';
import { approveBaseline, recordRun, recordTrustOnFirstUse } from '../page-watch/baseline.ts';
import { storeCspViolations } from '../csp-reports/csp-reports.ts';
import { COMPLIANCE_CHECKS, type ComplianceContext } from './compliance-checks.ts';
import { CHECK_IDS, type CheckId } from './compliance-map.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-11-30T03:00:00Z');
const ago = (days: number, from = T0) => new Date(from.getTime() - days * DAY);
const PASSWORD = 'Kumo-no-ue-no-niwa-42';

for (const database of DATABASES) {
  describe(`compliance checks on ${database.name}`, () => {
    let m: MigratedTestDatabase;
    let config: ShopConfig;
    let ctx: ComplianceContext;
    const status = async (id: CheckId, over: Partial<ComplianceContext> = {}, at = T0) => (await COMPLIANCE_CHECKS[id]({ ...ctx, ...over }, at)).status;
    const withConfig = (patch: (c: ShopConfig) => ShopConfig) => ({ config: patch(structuredClone(config)) });

    beforeAll(async () => {
      m = await openMigratedDatabase(database);
      const loaded = loadConfig({ DATA_DIR: m.dataDir, DATABASE_URL: m.url, LOG_LEVEL: 'silent' });
      if (!loaded.ok) throw new Error(loaded.errors.join('; '));
      config = loaded.config;
      ctx = { db: m.db, config, velocityLimits: DEFAULT_VELOCITY_LIMITS };
    });
    afterAll(async () => m?.dispose());

    it('every check id of the map has an implementation', () => {
      expect(Object.keys(COMPLIANCE_CHECKS).sort()).toEqual([...CHECK_IDS].sort());
    });

    it('external scan: not collected without history; fails on a failed or stale latest scan; passes on a recent pass', async () => {
      expect(await status('external-scan-current')).toBe('not-collected');
      const scan = (verdict: 'pass' | 'fail', at: Date, target = 'https://shop.example.jp') => m.db.insertInto('scan_runs').values({
        target_url: target, verdict, error_code: null, triggered_by: 'schedule', app_version: null, started_at: at.toISOString(), duration_ms: 1, finding_count: 0, failing_count: 0, report_json: '{}',
      }).execute();
      await scan('pass', ago(100));
      expect(await status('external-scan-current')).toBe('fail'); // older than 90 days
      await scan('fail', ago(10));
      expect(await status('external-scan-current')).toBe('fail');
      await scan('pass', ago(5));
      expect(await status('external-scan-current')).toBe('pass');
      // As of a moment before the recent pass, the failing scan was the latest.
      expect(await status('external-scan-current', {}, ago(7))).toBe('fail');
    });

    it('scan after change: fails until a scan passes after the latest approved deploy', async () => {
      await appendAuditEntry(m.db, { actor: 'admin:1', action: 'integrity.approved', target: 'integrity:manifest', after: {}, at: ago(2) });
      expect(await status('scan-after-change')).toBe('fail'); // the latest pass was 5 days ago
      await m.db.insertInto('scan_runs').values({ target_url: 'https://shop.example.jp', verdict: 'pass', error_code: null, triggered_by: 'deploy', app_version: null, started_at: ago(1).toISOString(), duration_ms: 1, finding_count: 0, failing_count: 0, report_json: '{}' }).execute();
      expect(await status('scan-after-change')).toBe('pass');
    });

    it('vulnerability check and overdue advisories: stale or overdue fail, current and within target pass', async () => {
      expect(await status('vulnerability-check-current')).toBe('not-collected');
      expect(await status('advisories-not-overdue')).toBe('not-collected');
      const check = async (at: Date, findings: { severity: string; status?: string }[]) => {
        const row = await m.db.insertInto('security_checks').values({ trigger: 'daily', started_at: at.toISOString(), finished_at: at.toISOString(), status: findings.length ? 'fail' : 'pass', exit_code: findings.length ? 1 : 0, report_json: '{}' }).returning('id').executeTakeFirstOrThrow();
        for (const f of findings) {
          await m.db.insertInto('security_check_findings').values({ check_id: row.id, advisory_id: 'GHSA-test-0001', aliases: '[]', component_name: 'left-pad', component_version: '1.0.0', component_purl: 'pkg:npm/left-pad@1.0.0', severity: f.severity, fixed: '[]', status: f.status ?? 'violation', hint: '' }).execute();
        }
      };
      await check(ago(20), [{ severity: 'high' }]);
      expect(await status('vulnerability-check-current')).toBe('fail'); // 20 days old
      expect(await status('advisories-not-overdue')).toBe('pass'); // high, 20 days < 30
      await check(ago(1), [{ severity: 'high' }]);
      expect(await status('vulnerability-check-current')).toBe('pass');
      expect(await status('advisories-not-overdue')).toBe('pass');
      // Still open 31 days after it was first seen: overdue.
      expect(await status('advisories-not-overdue', {}, new Date(ago(20).getTime() + 31 * DAY))).toBe('fail');
      // An excepted finding is not open.
      await check(ago(0.5), [{ severity: 'high', status: 'excepted' }]);
      expect(await status('advisories-not-overdue', {}, new Date(ago(20).getTime() + 31 * DAY))).toBe('pass');
    });

    it('audit chain: passes when it verifies, fails when an anchor disagrees with the log', async () => {
      expect(await status('audit-chain-intact')).toBe('pass'); // entries written above
      writeFileSync(defaultAuditAnchorsFile(m.dataDir), `${JSON.stringify({ at: T0.toISOString(), id: 1, hash: 'f'.repeat(64) })}\n`);
      expect(await status('audit-chain-intact')).toBe('fail');
      writeFileSync(defaultAuditAnchorsFile(m.dataDir), '');
      expect(await status('audit-chain-intact')).toBe('pass');
      // A verification handed in by the caller (the monthly report's own) is used as given.
      expect(await status('audit-chain-intact', { auditChain: async () => ({ ok: false, firstBadId: 3, reason: 'HASH_MISMATCH', detail: 'edited', entriesChecked: 2, anchors: null }) })).toBe('fail');
    });

    it('accounts: MFA bypass, left-over and generic accounts are detected', async () => {
      expect(await status('admin-mfa-enforced')).toBe('not-collected');
      const db = adminDb(m.db);
      const owner = await createAccount(db, { email: 'hanako@example.jp', password: PASSWORD, role: 'owner', refundLimit: null }, ago(30));
      if (!owner.ok) throw new Error(owner.error);
      expect(await status('no-default-accounts')).toBe('fail'); // created 30 days ago, never enrolled
      await db.updateTable('admin_accounts').set({ mfa_enrolled_at: ago(29).toISOString() }).where('id', '=', owner.account.id).execute();
      expect(await status('no-default-accounts')).toBe('pass');
      expect(await status('admin-mfa-enforced')).toBe('pass');
      expect(await status('no-generic-accounts')).toBe('pass');

      const generic = await createAccount(db, { email: 'admin@example.jp', password: PASSWORD, role: 'staff', refundLimit: 0 }, ago(1));
      if (!generic.ok) throw new Error(generic.error);
      expect(await status('no-generic-accounts')).toBe('fail');
      // A full session for an account that never enrolled a second factor: the bypass the check looks for.
      await openSession(db, generic.account.id, 'full', { ip: '127.0.0.1', userAgent: 'test' }, new Date(T0.getTime() - 60_000));
      expect(await status('admin-mfa-enforced')).toBe('fail');
      // A disabled account's sessions are refused at lookup: no longer a bypass.
      await db.updateTable('admin_accounts').set({ disabled: 1 }).where('id', '=', generic.account.id).execute();
      expect(await status('admin-mfa-enforced')).toBe('pass');
      expect(await status('no-generic-accounts')).toBe('pass');
      // A password-stage session is the normal way to the second factor, not a bypass.
      const pending = await createAccount(db, { email: 'taro@example.jp', password: PASSWORD, role: 'staff', refundLimit: 0 }, ago(1));
      if (!pending.ok) throw new Error(pending.error);
      await openSession(db, pending.account.id, 'password', { ip: '127.0.0.1', userAgent: 'test' }, new Date(T0.getTime() - 60_000));
      expect(await status('admin-mfa-enforced')).toBe('pass');
    });

    it('IP allow-list: unset or open to everyone fails, a real list passes', async () => {
      const allow = (v: string | undefined) => withConfig((c) => ({ ...c, admin: { ...c.admin, allowedIps: v } }));
      expect(await status('admin-ip-allow-list', allow(undefined))).toBe('fail');
      expect(await status('admin-ip-allow-list', allow('0.0.0.0/0'))).toBe('fail');
      expect(await status('admin-ip-allow-list', allow('203.0.113.0/24, 2001:db8::/32'))).toBe('pass');
    });

    it('file integrity: trust-on-first-use, findings and stale results fail; a fresh clean approved result passes', async () => {
      expect(await status('integrity-approved-clean')).toBe('not-collected');
      await recordWatchResult(m.db, { watcher: 'integrity', outcome: 'clean', summary: 'ok', details: { trust: 'trust-on-first-use' }, at: ago(0.01) });
      expect(await status('integrity-approved-clean')).toBe('fail');
      await recordWatchResult(m.db, { watcher: 'integrity', outcome: 'findings', summary: 'changed: src/app.ts', details: { trust: 'approved' }, at: ago(0.01) });
      expect(await status('integrity-approved-clean')).toBe('fail');
      await recordWatchResult(m.db, { watcher: 'integrity', outcome: 'clean', summary: 'ok', details: { trust: 'approved' }, at: ago(0.01) });
      expect(await status('integrity-approved-clean')).toBe('pass');
      expect(await status('integrity-approved-clean', {}, new Date(T0.getTime() + 3 * DAY))).toBe('fail'); // not running
    });

    it('page watch: a baseline on trust fails until approved; differences and a stopped watch fail', async () => {
      expect(await status('page-watch-baseline-approved')).toBe('not-collected');
      expect(await status('page-watch-running-clean')).toBe('not-collected');
      const { baseline } = await recordTrustOnFirstUse(m.db, [], 'http', ago(1));
      expect(await status('page-watch-baseline-approved')).toBe('fail');
      const approved = await approveBaseline(m.db, [], 'admin:1', { now: ago(0.9), level: 'http' });
      expect(await status('page-watch-baseline-approved')).toBe('pass');
      const run = (outcome: 'match' | 'differences', at: Date) => recordRun(m.db, { startedAt: at, finishedAt: at, level: 'http', outcome, baselineId: approved.id ?? baseline.id, differences: [] });
      await run('differences', new Date(T0.getTime() - 60_000));
      expect(await status('page-watch-running-clean')).toBe('fail');
      await run('match', new Date(T0.getTime() - 30_000));
      expect(await status('page-watch-running-clean')).toBe('pass');
      expect(await status('page-watch-running-clean', {}, new Date(T0.getTime() + DAY))).toBe('fail');
    });

    it('CSP: a recent violation on the way to payment fails; one elsewhere does not', async () => {
      const violation = (documentUrl: string) => ({ format: 'report-to' as never, effectiveDirective: 'script-src-elem', blockedUrl: 'https://evil.example/skim.js', documentUrl, disposition: 'enforce' as const, sourceFile: null, lineNumber: null });
      await storeCspViolations(m.db, [violation('https://shop.example.jp/products/1')], { maxStored: 1000, now: ago(1) });
      expect(await status('csp-payment-pages-clean')).toBe('pass');
      await storeCspViolations(m.db, [violation('https://shop.example.jp/checkout')], { maxStored: 1000, now: ago(1) });
      expect(await status('csp-payment-pages-clean')).toBe('fail');
      expect(await status('csp-payment-pages-clean', {}, new Date(T0.getTime() + 40 * DAY))).toBe('pass'); // older than 30 days
    });

    it('malware scan: off fails; configured with a clean recent scan passes; findings fail', async () => {
      const clamd = withConfig((c) => ({ ...c, malwareScan: { ...c.malwareScan, clamd: { host: '127.0.0.1', port: 3310 }, intervalMs: DAY } }));
      expect(await status('malware-scan-current', withConfig((c) => ({ ...c, malwareScan: { ...c.malwareScan, clamd: undefined } })))).toBe('fail');
      expect(await status('malware-scan-current', clamd)).toBe('not-collected');
      await recordWatchResult(m.db, { watcher: 'malware-scan', outcome: 'clean', summary: 'ok', at: ago(0.5) });
      expect(await status('malware-scan-current', clamd)).toBe('pass');
      await recordWatchResult(m.db, { watcher: 'malware-scan', outcome: 'findings', summary: 'Eicar-Test-Signature', at: ago(0.4) });
      expect(await status('malware-scan-current', clamd)).toBe('fail');
    });

    it('card-number scan: findings fail, a clean recent scan passes', async () => {
      expect(await status('pan-scan-clean')).toBe('not-collected');
      await recordWatchResult(m.db, { watcher: 'pan-scan', outcome: 'findings', summary: '1 card number (masked)', at: ago(1) });
      expect(await status('pan-scan-clean')).toBe('fail');
      await recordWatchResult(m.db, { watcher: 'pan-scan', outcome: 'clean', summary: 'none', at: ago(0.5) });
      expect(await status('pan-scan-clean')).toBe('pass');
      expect(await status('pan-scan-clean', {}, new Date(T0.getTime() + 30 * DAY))).toBe('fail');
    });

    it('password policy, session timeouts: the shipped controls pass, weaker ones fail', async () => {
      expect(await status('password-policy')).toBe('pass');
      expect(await status('password-policy', { enforced: { passwordPolicy: (p) => (p.length >= 8 ? { ok: true } : { ok: false, error: 'PASSWORD_TOO_SHORT' }) } })).toBe('fail');
      expect(await status('password-policy', { enforced: { passwordPolicy: () => ({ ok: false, error: 'PASSWORD_COMMON' }) } })).toBe('fail');
      expect(await status('session-timeouts')).toBe('pass');
      expect(await status('session-timeouts', { enforced: { sessionIdleMs: 30 * 60_000 } })).toBe('fail');
      expect(await status('session-timeouts', { enforced: { sessionAbsoluteMs: 24 * 3_600_000 } })).toBe('fail');
    });

    it('lockout: the default 15 minutes fails PCI DSS 8.3.4; 30 minutes passes; more than 10 tries fails', async () => {
      const lockout = (perAddress: number, minutes: number) => withConfig((c) => ({ ...c, admin: { ...c.admin, lockout: { ...c.admin.lockout, perAddress, minutes } } }));
      expect(await status('admin-lockout')).toBe('fail');
      expect(await status('admin-lockout', lockout(6, 30))).toBe('pass');
      expect(await status('admin-lockout', lockout(11, 30))).toBe('fail');
    });

    it('card-testing guard: the defaults pass; lax limits fail', async () => {
      expect(await status('card-testing-guard')).toBe('pass');
      expect(await status('card-testing-guard', { velocityLimits: { ...DEFAULT_VELOCITY_LIMITS, declinesBeforeBlock: 50 } })).toBe('fail');
      expect(await status('card-testing-guard', { velocityLimits: { ...DEFAULT_VELOCITY_LIMITS, blockMinutes: 1 } })).toBe('fail');
    });

    it('incident readiness: needs an alert channel and an enabled owner', async () => {
      const smtp = (v: string | undefined) => withConfig((c) => ({ ...c, smtpUrl: v, alerts: { webhook: undefined } }));
      expect(await status('incident-process-ready', smtp(undefined))).toBe('fail');
      expect(await status('incident-process-ready', smtp('smtp://127.0.0.1:2525'))).toBe('pass'); // owner enrolled above
      await adminDb(m.db).updateTable('admin_accounts').set({ disabled: 1 }).where('role', '=', 'owner').execute();
      expect(await status('incident-process-ready', smtp('smtp://127.0.0.1:2525'))).toBe('fail');
    });

    it('data directory: a directory open to other users fails, 0700 passes', async () => {
      chmodSync(m.dataDir, 0o700);
      expect(await status('data-dir-permissions')).toBe('pass');
      chmodSync(m.dataDir, 0o755);
      expect(await status('data-dir-permissions')).toBe('fail');
      chmodSync(m.dataDir, 0o700);
    });
  });
}
