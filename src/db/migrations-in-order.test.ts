// An upgraded shop must migrate: Kysely applies migrations in name order and refuses a database
// that already has a later name than a pending one. A shop that ran the last release's migrations
// is migrated here with that set first, then with every file on disk.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, SqliteDialect } from 'kysely';
import { FileMigrationProvider, Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate.js';

// The migrations that have landed on main and may be on merchants' databases. Append each new
// migration's name here when it lands; a new file must sort after the last one.
const LANDED = [
  '0001_shop_core', '0002_payments', '0100_security_checks', '0200_external_scans', '0300_audit_log', '0350_admin_accounts',
  '0351_admin_stock_adjustments', '0400_job_runs', '0410_order_lifecycle', '0420_admin_login_throttle', '0440_page_watch',
  '0450_alerts_and_pauses', '0455_watch_results', '0460_csp_reports', '0480_admin_known_clients', '0490_shop_stop_messages',
  '0500_incidents', '0501_incident_record', '0510_incident_scope_notices_inquiries', '0520_monthly_reports',
  '0530_compliance_attestations', '0540_security_committee', '0550_rate_limit_counters', '0580_order_return_url',
  '0590_product_search_readings', '0600_shop_settings_and_legal_texts', '0610_shipping_methods', '0620_payment_methods',
  '0630_catalog_publishing', '0640_customer_accounts', '0650_order_name_parts', '0690_coupons', '0720_customer_passkeys',
  '0730_customer_recovery_codes', '0740_order_discounts', '0750_konbini_store_and_confirmation', '0760_order_receipts',
  '0770_konbini_status_queries', '0820_catalog_import_runs',
];

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const onDisk = new FileMigrationProvider({ fs, path, migrationFolder });

describe('migrations in order', () => {
  it('puts every new migration after the last landed one', async () => {
    const names = Object.keys(await onDisk.getMigrations()).sort();
    for (const name of LANDED) expect(names, `${name} is gone or renamed`).toContain(name);
    const last = LANDED.at(-1)!;
    const newer = names.filter((n) => !LANDED.includes(n));
    for (const n of newer) expect(n > last, `${n} sorts before the landed ${last}`).toBe(true);
  });

  it('upgrades a database migrated with the landed set to the latest', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    try {
      const landedOnly: MigrationProvider = {
        async getMigrations() {
          const all = await onDisk.getMigrations();
          return Object.fromEntries(Object.entries(all).filter(([n]) => LANDED.includes(n))) as Record<string, Migration>;
        },
      };
      const first = await new Migrator({ db, provider: landedOnly }).migrateToLatest();
      expect(first.error).toBeUndefined();
      await migrateToLatest(db);
      const applied = await db.selectFrom('kysely_migration').select('name').execute();
      expect(applied.map((r) => r.name).sort()).toEqual(Object.keys(await onDisk.getMigrations()).sort());
    } finally {
      await db.destroy();
    }
  });
});
