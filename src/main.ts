// `npm start`: the shop and its sandbox payment gateway on this machine.
import pino from 'pino';
import { loadConfig } from './config/config.ts';
import { logDestination, loggerOptions } from './http/logger.ts';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { INSTALL_ROOT } from './install-root.ts';
import { startSandboxGatewayProcess } from './payments/sandbox/sandbox-gateway-process.ts';
import { readSandboxCredentials } from './payments/sandbox/sandbox-credentials.ts';
import { createPaymentProvider } from './payments/create-payment-provider.ts';

async function main() {
  const loaded = loadConfig();
  if (!loaded.ok) {
    process.stderr.write(`mamori: invalid configuration:\n  ${loaded.errors.join('\n  ')}\n`);
    process.exit(2);
  }
  const config = loaded.config;
  const logger = pino(loggerOptions(config.logLevel), logDestination());
  // Signals are taken from the first moment: one that comes while the shop is still starting (a
  // supervisor's stop, Ctrl-C) is kept and carried out once there is a shop to close, rather than
  // killing the process half-started. The stop itself is set below.
  let stopOnSignal: ((signal: string) => void) | undefined;
  let signalledEarly: string | undefined;
  // A second signal while still starting ends the process at once (the gateway child follows: its IPC channel closes).
  const onSignal = (signal: string) => { if (stopOnSignal) stopOnSignal(signal); else if (signalledEarly) process.exit(1); else signalledEarly = signal; };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  // The shop's modules (most of the start-up: ~2 s of loading and compiling on these machines) load
  // while the gateway's process starts on the other core, rather than one after the other.
  const shopModules = Promise.all([import('./start-shop.ts'), import('./admin/setup-link.ts')]);

  // The bundled sandbox gateway runs as its own process (own port, origin and database), unless
  // the shop is pointed at another gateway. It writes the sandbox merchant's credentials here.
  const credentialsFile = path.join(config.dataDir, 'sandbox-merchant.json');
  const gateway = config.payment.provider === 'sandbox' && !config.payment.paygateUrlConfigured
    ? await startSandboxGatewayProcess({
        credentialsFile,
        dbFile: path.join(config.dataDir, 'paygate', 'paygate.sqlite'),
        host: config.payment.paygateHost,
        port: config.payment.paygatePort,
        merchantName: config.shopName,
        allowedOrigins: [new URL(config.publicUrl).origin],
        env: { PAYGATE_LOG_LEVEL: config.logLevel },
      })
    : undefined;
  const stored = readSandboxCredentials(credentialsFile);
  const credentials = gateway?.credentials ?? (stored.ok ? stored.value : undefined);
  const payments = createPaymentProvider(config, credentials);
  if (!payments) logger.warn('no payment provider configured: orders stay pending_payment');

  const [{ startShop }, { ensureSetupLink }] = await shopModules;
  const { version } = JSON.parse(readFileSync(path.join(INSTALL_ROOT, 'package.json'), 'utf8')) as { version: string };
  const shop = await startShop({ config, logger, securityCheck: true, pageWatch: true, integrity: true, panScan: true, monthlyReport: true, backup: true, scanSchedule: { appVersion: version }, ...(payments ? { payments } : {}) });

  // No default credentials: the first owner account is created through a one-time link
  // (30 minutes, usable once) or `npm run admin:create`.
  const setupLink = await ensureSetupLink(shop.db.db, config.publicUrl, new Date());
  const lines = [
    '',
    `  Mamori shop       ${config.publicUrl}/   (English: ${config.publicUrl}/?lang=en)`,
    `  Store API         ${config.publicUrl}/api/openapi.json`,
    `  Back office       ${config.publicUrl}/admin/`,
    setupLink ? `  First owner       ${setupLink}\n                    (one-time link, valid 30 minutes; or run \`npm run admin:create\`)` : '',
    payments?.name === 'sandbox' ? `  Payment gateway   ${payments.checkoutOrigin}/  (sandbox; test card 4242 4242 4242 4242)`
      : payments ? `  Payment gateway   ${payments.name} (${payments.checkoutOrigin}); webhook ${config.publicUrl}/payments/${payments.name}/notifications`
      : '  Payment gateway   none configured',
    `  Database          ${shop.db.kind === 'sqlite' ? config.databaseUrl : 'PostgreSQL (DATABASE_URL)'}`,
    `  E-mail            ${shop.mailer.description}`,
    `  External scan     ${config.publicUrl}/ quarterly and after each deploy (\`npm run mamori -- scan <url>\` on demand)`,
    config.pageWatch.intervalMs
      ? `  Page watch        the way to payment every ${config.pageWatch.intervalMs / 1000} s (baseline: ${config.publicUrl}/admin/security/page-watch)`
      : '  Page watch        off (PAGE_MONITOR_INTERVAL_SECONDS=0)',
    config.integrity.intervalMs
      ? `  File integrity    at start-up and every ${config.integrity.intervalMs / 1000} s (\`npm run mamori -- integrity verify\`; ${config.publicUrl}/admin/security/integrity)`
      : '  File integrity    off (INTEGRITY_CHECK_INTERVAL_SECONDS=0)',
    `  Security check    at start-up and daily (advisories in ${config.advisories.dir}; \`npm run mamori -- check\` for the report)`,
    shop.seeded ? '  Demo catalog      seeded on this first start' : '',
    '',
    '  Stop with Ctrl-C.',
    '',
  ].filter((l, i, all) => l !== '' || all[i - 1] !== '');
  process.stdout.write(lines.join('\n') + '\n');

  // What the first start's warnings mean, said once here rather than only as log lines: a fresh
  // development shop has no advisory data yet and is served over plain HTTP, and both are real
  // findings (kept on /admin/status), not faults of the installation.
  void shop.jobs.settled().then(async () => {
    const notices = await shop.securityNotices();
    if (notices.length === 0) return;
    const text = ['', '  Findings at start (also on the back office status page):'];
    for (const n of notices) text.push(`  - ${n.meaning}`, `      resolve: ${n.command}`);
    process.stdout.write(text.join('\n') + '\n\n');
  }).catch((err: unknown) => logger.warn({ err }, 'could not list the start-up findings'));

  // A supervisor signals this one process (`npm start` execs it, see package.json): it stops
  // taking requests, waits for those in flight and for running jobs (shop.close), stops the
  // gateway child, and exits. The gateway also exits by itself when this process dies (its IPC
  // channel closes), so even a SIGKILL here leaves nothing behind.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    let failed = false;
    try {
      await shop.close();
    } catch (err) {
      failed = true;
      logger.error({ err }, 'shutdown failed');
    }
    await gateway?.stop().catch((err: unknown) => { failed = true; logger.error({ err }, 'sandbox gateway did not stop'); });
    process.exit(failed ? 1 : 0);
  };
  stopOnSignal = (signal) => void stop(signal);
  if (signalledEarly) stopOnSignal(signalledEarly);
}

main().catch((err: unknown) => {
  process.stderr.write(`mamori: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
