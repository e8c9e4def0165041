// `npm run admin:create`: creates an owner account (see src/admin/admin-create-command.ts).
import { loadConfig } from '../src/config/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { runAdminCreate } from '../src/admin/admin-create-command.ts';
import path from 'node:path';
import { createMailer } from '../src/mail/mailer.ts';
import { deliverAlert } from '../src/alerts/deliver-alert.ts';
import type { SecurityAlert } from '../src/alerts/alert-tables.ts';
import { silentLogger, systemClock } from '../src/shop-context.ts';

const loaded = loadConfig();
if (!loaded.ok) {
  process.stderr.write(`admin:create: invalid configuration:\n  ${loaded.errors.join('\n  ')}\n`);
  process.exit(2);
}
const handle = openDatabase(loaded.config.databaseUrl);
let code = 1;
try {
  await migrateToLatest(handle.db);
  const config = loaded.config;
  const mailer = createMailer({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), from: config.mailFrom });
  // The new owner's alert goes to the owners by e-mail and webhook, as the shop's own alerts do.
  const deliver = (alert: SecurityAlert) => deliverAlert({ db: handle, mailer, config, logger: silentLogger, clock: systemClock }, alert);
  code = await runAdminCreate(process.argv.slice(2), handle.db, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, new Date(), deliver);
} catch (err) {
  process.stderr.write(`admin:create: failed: ${err instanceof Error ? err.message : String(err)}\n`);
  code = 1;
} finally {
  await handle.close();
}
process.exit(code);
