// `npm run bench -- compliance`: evaluating the whole compliance map (what /admin/compliance and the
// monthly report do) on a SQLite shop with BENCH_COMPLIANCE_AUDIT audit entries (default 20,000) and a
// year of daily security checks with findings. Baseline, in the same run: the audit-chain walk alone,
// which the map includes and which grows with the log; the difference is what the other checks cost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadConfig } from '../src/config/config.ts';
import { appendAuditEntry } from '../src/audit/audit-log.ts';
import { verifyAuditChain } from '../src/audit/verify-audit-chain.ts';
import { DEFAULT_VELOCITY_LIMITS } from '../src/payments/card-testing-guard.ts';
import { evaluateCompliance } from '../src/compliance/evaluate-compliance.ts';

const ENTRIES = Number(process.env.BENCH_COMPLIANCE_AUDIT ?? 20_000);
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mamori-bench-compliance-'));
  try {
    const file = path.join(dir, 'shop.sqlite');
    const handle = openDatabase(file);
    await migrateToLatest(handle.db);
    const db = handle.db as never as import('kysely').Kysely<any>;
    const loaded = loadConfig({ DATA_DIR: dir, DATABASE_URL: file, LOG_LEVEL: 'silent' });
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const start = Date.parse('2026-01-01T00:00:00Z');
    let t0 = performance.now();
    for (let i = 0; i < ENTRIES; i += 500) {
      await db.transaction().execute(async (trx) => {
        for (let j = i; j < Math.min(ENTRIES, i + 500); j++) await appendAuditEntry(trx, { actor: 'system', action: 'bench.entry', target: `order:${j}`, after: { j }, at: new Date(start + j * 1000) });
      });
    }
    for (let d = 0; d < 365; d++) {
      const at = new Date(start + d * 86_400_000).toISOString();
      const { id } = await db.insertInto('security_checks').values({ trigger: 'daily', started_at: at, finished_at: at, status: 'fail', exit_code: 1, report_json: '{}' }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('security_check_findings').values(Array.from({ length: 10 }, (_, k) => ({ check_id: id, advisory_id: `GHSA-bench-${k}`, aliases: '[]', component_name: `pkg-${k}`, component_version: '1.0.0', component_purl: `pkg:npm/pkg-${k}@1.0.0`, severity: k < 3 ? 'high' : 'medium', fixed: '[]', status: 'violation', hint: '' }))).execute();
    }
    process.stdout.write(`seeded ${ENTRIES.toLocaleString('en')} audit entries and 365 security checks × 10 findings in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    const ctx = { db, config: loaded.config, velocityLimits: DEFAULT_VELOCITY_LIMITS };
    const at = new Date(start + 365 * 86_400_000);
    const chain: number[] = [];
    const map: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      t0 = performance.now();
      await verifyAuditChain(db);
      chain.push(performance.now() - t0);
      t0 = performance.now();
      const e = await evaluateCompliance(ctx, at);
      map.push(performance.now() - t0);
      if (r === 0) process.stdout.write(`items ${e.items.length}: automated ${e.counts.automated}, manual ${e.counts.manual}\n`);
    }
    const c = median(chain);
    const m = median(map);
    process.stdout.write(`audit chain alone (baseline): median ${c.toFixed(0)} ms of ${RUNS}\n`);
    process.stdout.write(`whole compliance map:         median ${m.toFixed(0)} ms of ${RUNS} (${(m / c).toFixed(2)}× the chain walk; other checks ${(m - c).toFixed(0)} ms)\n`);
    await handle.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
