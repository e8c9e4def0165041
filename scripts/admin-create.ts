// `npm run admin:create`: creates an owner account (see src/admin/admin-create-command.ts).
import { loadConfig } from '../src/config/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { runAdminCreate } from '../src/admin/admin-create-command.ts';

const loaded = loadConfig();
if (!loaded.ok) {
  process.stderr.write(`admin:create: invalid configuration:\n  ${loaded.errors.join('\n  ')}\n`);
  process.exit(2);
}
const handle = openDatabase(loaded.config.databaseUrl);
let code = 1;
try {
  await migrateToLatest(handle.db);
  code = await runAdminCreate(process.argv.slice(2), handle.db, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
} catch (err) {
  process.stderr.write(`admin:create: failed: ${err instanceof Error ? err.message : String(err)}\n`);
  code = 1;
} finally {
  await handle.close();
}
process.exit(code);
