// A shop in its own process (node --import tsx), configured from its environment like `npm start`
// but without the sandbox gateway, driven by the parent over IPC: it reports `{ type: 'ready', url }`
// once listening, and on `{ type: 'pause' | 'resume', id, scope }` pauses or resumes through its own
// database pool (as its back office would) and answers `{ type: 'done', id, committedAt }` with the
// wall-clock time right after the commit. Test-only (the two-process kill-switch propagation test).
import { loadConfig } from '../../src/config/config.ts';
import { startShop } from '../../src/start-shop.ts';
import { pauseShop, resumeShop } from '../../src/shop-pause/shop-pause.ts';
import type { PauseScope } from '../../src/alerts/alert-tables.ts';
import { readSandboxCredentials } from '../../src/payments/sandbox/sandbox-credentials.ts';
import { createPaymentProvider } from '../../src/payments/create-payment-provider.ts';

type Command = { type: 'pause' | 'resume'; id: number; scope: PauseScope; message?: string } | { type: 'close' };

const loaded = loadConfig(process.env);
if (!loaded.ok) throw new Error(loaded.errors.join('; '));
// MAMORI_TEST_CATALOG_TTL_MS: a long catalog cache, so only a NOTIFY can make another instance's edit show here.
const catalogTtl = process.env.MAMORI_TEST_CATALOG_TTL_MS;
// MAMORI_TEST_SANDBOX_CREDENTIALS: the sandbox gateway's merchant file (a gateway the test started), as main.ts reads it.
const credentialsFile = process.env.MAMORI_TEST_SANDBOX_CREDENTIALS;
const credentials = credentialsFile ? readSandboxCredentials(credentialsFile) : undefined;
if (credentials && !credentials.ok) throw new Error(credentials.detail);
const payments = credentials?.ok ? createPaymentProvider(loaded.config, credentials.value) : undefined;
const shop = await startShop({
  ...(payments ? { payments } : {}),
  config: loaded.config, logger: false, listen: true,
  securityCheck: false, auditAnchoring: false, reconcileAtStart: false, jobPollMs: 0,
  ...(catalogTtl ? { catalogCacheTtlMs: Number(catalogTtl) } : {}),
});
process.send!({ type: 'ready', url: shop.url });

process.on('message', (raw) => {
  const command = raw as Command;
  void (async () => {
    if (command.type === 'close') {
      await shop.close();
      process.exit(0);
    }
    const actor = { id: `test:process-${process.pid}` };
    if (command.type === 'pause') await pauseShop(shop.db.db, { scope: command.scope, reason: 'propagation test', message: command.message, actor }, new Date());
    else await resumeShop(shop.context, command.scope, actor, 'propagation test');
    process.send!({ type: 'done', id: command.id, committedAt: Date.now() });
  })().catch((err: unknown) => {
    process.stderr.write(`shop process: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
});
