// A month of recorded activity for the monthly report's tests: November 2026 in Asia/Tokyo
// (2026-10-31T15:00Z to 2026-11-30T15:00Z), with entries on both sides of each boundary and a
// few in October so "since last month" has something to compare. The expected figures are in
// src/monthly-report/build-monthly-report.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../../src/audit/audit-log.ts';
import type { Inventory } from '../../src/inventory/types.ts';
import { storeInventorySnapshot } from '../../src/monthly-report/inventory-snapshots.ts';
import { recordSecurityCheck } from '../../src/policy/daily.ts';
import type { CheckResult } from '../../src/policy/check.ts';
import { recordScan } from '../../src/scanner/scan-history.ts';
import { makeFinding } from '../../src/scanner/findings.ts';
import type { TargetResult } from '../../src/scanner/scan-target.ts';
import { recordSecurityEvent } from '../../src/security-events/record-security-event.ts';
import { recordWatchResult } from '../../src/watch-results/watch-results.ts';
import { insertIncidentOrder, insertTestIncident } from './incident-orders.ts';

export const SEEDED_MONTH = '2026-11';
/** 06:00 on 1 December, Tokyo: when the job builds November's report. */
export const REPORT_TIME = new Date('2026-11-30T21:00:00.000Z');
export const SCAN_TARGET = 'https://shop.example.jp/';

type F = { id: string; sev: string; purl: string; status?: string };
function check(at: string, findings: F[]): CheckResult {
  return {
    status: 'fail', exitCode: 1, checkedAt: at, target: { host: 'test', source: 'this system' }, policyFile: null,
    advisoryData: { asOf: at, ageHours: 1, maxAgeHours: 48, count: 100, sources: [] },
    summary: { components: 10, findings: findings.length, violations: 1, tolerated: 0, excepted: 0, suppressed: 0, highestSeverity: 'critical' },
    violations: [], warnings: [],
    findings: findings.map((f) => {
      const [name, version] = f.purl.replace('pkg:npm/', '').split('@') as [string, string];
      return { advisory: { id: f.id, aliases: [] }, component: { name, version, purl: f.purl }, severity: f.sev, score: null, fixed: [], status: f.status ?? 'violation', hint: '' };
    }),
  } as unknown as CheckResult;
}

function scan(startedAt: string, verdict: 'pass' | 'fail', findings: TargetResult['findings']): TargetResult {
  return { url: SCAN_TARGET, verdict, startedAt, durationMs: 100, connections: 1, tls: null, http: null, findings } as unknown as TargetResult;
}

export function fakeInventory(): Inventory {
  const c = (kind: string, name: string, version: string) => ({ kind, ecosystem: 'npm', name, version, purl: `pkg:x/${name}@${version}`, source: 'test' }) as Inventory['components'][number];
  return {
    generatedAt: REPORT_TIME.toISOString(), host: { hostname: 'test', os: 'Linux' },
    node: { version: 'v20.10.0', line: 'v20', phase: 'end-of-life', endOfLife: '2026-04-30', eol: true, scheduleSource: 'test', openssl: '3.5.1', platform: 'linux', arch: 'x64', execPath: '/usr/bin/node' },
    components: [c('runtime', 'node', '20.10.0'), c('npm', 'fastify', '5.1.0'), c('npm', 'newpkg', '1.0.0'), c('os', 'libssl3', '3.0.11-1'), c('system', 'openssl', '3.0.11'), c('database', 'postgresql', '15.4')],
    notes: [],
  };
}

export async function seedReportActivity(db: Kysely<any>): Promise<void> {
  const audit = (at: string, action: string, extra: { actor?: string; target?: string; before?: unknown; after?: unknown } = {}) =>
    appendAuditEntry(db, { actor: extra.actor ?? 'admin:1', action, at: new Date(at), ...(extra.target ? { target: extra.target } : {}), ...(extra.before ? { before: extra.before } : {}), ...(extra.after ? { after: extra.after } : {}) });
  // October (last month)
  await audit('2026-10-10T00:00:00.000Z', 'auth.login_failed', { actor: 'anonymous' });
  await audit('2026-10-31T10:00:00.000Z', 'auth.login_failed', { actor: 'anonymous' });
  await audit('2026-10-31T14:59:59.000Z', 'auth.login_succeeded'); // 23:59:59 on 31 October in Tokyo
  await recordSecurityEvent(db, 'payment.velocity_block', { orderId: 'x' }, new Date('2026-10-20T00:00:00.000Z'), '203.0.113.9');
  // November
  await audit('2026-10-31T15:00:00.000Z', 'auth.login_succeeded'); // 00:00 on 1 November in Tokyo
  await audit('2026-10-31T16:00:00.000Z', 'auth.login_failed', { actor: 'anonymous' }); // 1 November 01:00
  await audit('2026-11-03T01:00:00.000Z', 'auth.login_failed', { actor: 'anonymous' }); // 3 November 10:00
  await audit('2026-11-03T01:05:00.000Z', 'auth.login_failed', { actor: 'anonymous' });
  await audit('2026-11-03T15:30:00.000Z', 'auth.login_failed', { actor: 'anonymous' }); // 4 November 00:30
  await audit('2026-11-03T15:31:00.000Z', 'admin.lockout', { actor: 'anonymous' });
  await audit('2026-11-15T10:00:00.000Z', 'auth.login_succeeded');
  await audit('2026-11-15T10:00:01.000Z', 'auth.new_address');
  await audit('2026-11-16T18:00:00.000Z', 'auth.vendor_session', { actor: 'admin:7', after: { withinVendorHours: false, localTime: '03:00' } });
  await audit('2026-11-16T18:05:00.000Z', 'product.updated', { actor: 'admin:7', target: 'product:1' });
  await audit('2026-11-16T18:06:00.000Z', 'product.updated', { actor: 'admin:7', target: 'product:2' });
  await audit('2026-11-17T01:00:00.000Z', 'product.updated', { actor: 'admin:1', target: 'product:3' });
  await audit('2026-11-18T01:00:00.000Z', 'account.updated', { target: 'account:7', before: { id: 7, email: 'v@example.jp', role: 'staff' }, after: { id: 7, email: 'v@example.jp', role: 'vendor' } });
  await audit('2026-11-19T01:00:00.000Z', 'page_watch.baseline_approved', { target: 'baseline:2' });
  await audit('2026-11-30T14:59:59.000Z', 'auth.login_succeeded'); // 23:59:59 on 30 November
  await recordSecurityEvent(db, 'payment.velocity_block', { orderId: 'y' }, new Date('2026-11-05T00:00:00.000Z'), '203.0.113.9');
  await recordSecurityEvent(db, 'payment.velocity_block', { orderId: 'y' }, new Date('2026-11-05T00:01:00.000Z'), '203.0.113.9');
  await recordSecurityEvent(db, 'payment.decline_block', { orderId: 'y' }, new Date('2026-11-05T00:02:00.000Z'), '203.0.113.9');
  // December (after the month): counted nowhere
  await audit('2026-11-30T15:00:00.000Z', 'auth.login_succeeded'); // 00:00 on 1 December
  await audit('2026-11-30T16:00:00.000Z', 'auth.login_failed', { actor: 'anonymous' });

  // Orders and payments: 3 declines and 1 paid order in November, 1 decline in October.
  const paid = await insertIncidentOrder(db, { orderNumber: 'MA-0001', email: 'a@example.jp', createdAt: '2026-11-10T00:00:00.000Z', paidAt: '2026-11-10T00:05:00.000Z', attempts: ['2026-11-10T00:01:00.000Z'] });
  const declined = await insertIncidentOrder(db, { orderNumber: 'MA-0002', email: 'b@example.jp', createdAt: '2026-10-30T00:00:00.000Z', attempts: ['2026-10-30T00:01:00.000Z', '2026-11-05T00:00:00.000Z', '2026-11-05T00:00:30.000Z', '2026-11-05T00:01:00.000Z'] });
  await db.updateTable('payment_attempts').set({ status: 'declined' }).where('order_id', '=', declined).execute();
  await db.insertInto('order_events').values({ order_id: paid, from_status: 'pending_payment', to_status: 'payment_review', cause: 'amount check', created_at: '2026-11-10T00:04:00.000Z' }).execute();

  // Advisory checks: critical since September (overdue), a low one fixed on 5 November, a high one new in November.
  await recordSecurityCheck(db, check('2026-09-20T00:00:00.000Z', [{ id: 'GHSA-crit', sev: 'critical', purl: 'pkg:npm/a@1.0.0' }, { id: 'GHSA-low', sev: 'low', purl: 'pkg:npm/b@1.0.0' }]), { startedAt: new Date('2026-09-20T00:00:00.000Z') });
  await recordSecurityCheck(db, check('2026-11-05T00:00:00.000Z', [{ id: 'GHSA-crit', sev: 'critical', purl: 'pkg:npm/a@1.0.0' }, { id: 'GHSA-high', sev: 'high', purl: 'pkg:npm/c@2.0.0' }]), { startedAt: new Date('2026-11-05T00:00:00.000Z') });
  await recordSecurityCheck(db, check('2026-11-20T00:00:00.000Z', [{ id: 'GHSA-crit', sev: 'critical', purl: 'pkg:npm/a@1.0.0' }, { id: 'GHSA-high', sev: 'high', purl: 'pkg:npm/c@2.0.0' }, { id: 'DSA-supp', sev: 'high', purl: 'pkg:npm/d@1.0.0', status: 'suppressed' }]), { startedAt: new Date('2026-11-20T00:00:00.000Z') });
  await recordSecurityCheck(db, check('2026-12-02T00:00:00.000Z', []), { startedAt: new Date('2026-12-02T00:00:00.000Z') });

  // External scans: a pass in August, a failing run and a passing run (one informational finding) in November.
  await recordScan(db, scan('2026-08-10T00:00:00.000Z', 'pass', []), 'schedule');
  await recordScan(db, scan('2026-11-10T00:00:00.000Z', 'fail', [makeFinding('http-no-referrer-policy', 'GET /', { cvss: 5 }), makeFinding('http-no-referrer-policy', 'GET /a', { cvss: 4.3 })]), 'schedule');
  await recordScan(db, scan('2026-11-25T00:00:00.000Z', 'pass', [makeFinding('http-no-referrer-policy', 'GET /')]), 'deploy');

  // Watchers
  for (const at of ['2026-11-02T00:00:00.000Z', '2026-11-02T00:05:00.000Z']) await recordWatchResult(db, { watcher: 'integrity', outcome: 'clean', summary: 'no change', at: new Date(at) });
  await recordWatchResult(db, { watcher: 'integrity', outcome: 'findings', summary: '1 changed', at: new Date('2026-11-02T00:10:00.000Z') });
  await recordWatchResult(db, { watcher: 'integrity', outcome: 'clean', summary: 'no change', at: new Date('2026-12-01T00:00:00.000Z') });
  await recordWatchResult(db, { watcher: 'page-watch', outcome: 'clean', summary: 'match', at: new Date('2026-11-02T00:00:00.000Z') });
  await recordWatchResult(db, { watcher: 'pan-scan', outcome: 'clean', summary: 'no card number', at: new Date('2026-11-08T00:00:00.000Z') });
  const alert = (kind: string, severity: string, at: string, ack: string | null) => db.insertInto('security_alerts').values({ kind, severity, dedupe_key: `${kind}:${at}`, summary: kind, evidence: '{}', first_seen_at: at, last_seen_at: at, acknowledged_by: ack ? 'admin:1' : null, acknowledged_at: ack }).execute();
  await alert('integrity.file_changed', 'high', '2026-11-02T00:10:00.000Z', '2026-11-02T01:00:00.000Z');
  await alert('page_watch.script_added', 'critical', '2026-11-21T00:00:00.000Z', null);
  await alert('page_watch.script_added', 'critical', '2026-10-21T00:00:00.000Z', null); // October's

  await insertTestIncident(db, 'INC-2026-0007'); // opened 9 November, still open

  // Last month's inventory
  await storeInventorySnapshot(db, '2026-10', {
    takenAt: '2026-10-01T00:00:00.000Z', node: null,
    components: [{ kind: 'npm', name: 'fastify', version: '5.0.0' }, { kind: 'npm', name: 'oldpkg', version: '0.1.0' }, { kind: 'runtime', name: 'node', version: '20.10.0' }],
  });
}

export const SCHEMA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../docs/schemas/monthly-report.schema.json');

/** Validates a report's JSON against the committed schema file (what a consumer would do). */
export function validateAgainstCommittedSchema(json: string): { ok: boolean; errors: unknown } {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  const ok = validate(JSON.parse(json));
  return { ok, errors: validate.errors };
}

