// System status and security settings (vendor, auditor, owner per route-access.ts).
import type { FastifyInstance } from 'fastify';
import { adminViewContext, sendAdminPage } from './admin-view-context.ts';
import type { AdminRuntime } from './admin-guard.tsx';
import { SecurityPage, StatusPage, type LatestSecurityCheck } from './views/system-pages.tsx';
import { listJobStatus } from '../jobs/job-runs.ts';
import { currentSecurityNotices } from '../jobs/security-notices.ts';
import { malwareScanStatus } from '../malware-scan/malware-scan-status.ts';
import { latestWatchResult } from '../watch-results/watch-results.ts';

export async function systemRoutes(app: FastifyInstance, rt: AdminRuntime) {
  const shop = app.shop;

  app.get('/status', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const engineVersion = await shop.db.engineVersion().catch(() => 'unavailable');
    const securityCheck = await shop.db.db.withTables<{ security_checks: LatestSecurityCheck & { id: number } }>()
      .selectFrom('security_checks').select(['started_at', 'status', 'findings', 'violations', 'node_eol']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    // Every target this database has scan history for: the admin plugin does not know which
    // address the scheduler scans, and a target scanned once still counts until it passes.
    const scanTargets = (await shop.db.db.withTables<{ scan_runs: { target_url: string } }>().selectFrom('scan_runs').select('target_url').distinct().execute()).map((r) => r.target_url);
    const [jobs, notices, integrity, panScan] = await Promise.all([listJobStatus(shop.db.db), currentSecurityNotices(shop.db.db, { scanTargets }), latestWatchResult(shop.db.db, 'integrity'), latestWatchResult(shop.db.db, 'pan-scan')]);
    const malwareScan = { status: await malwareScanStatus(shop.config, shop.db.db), now: shop.clock() };
    return sendAdminPage(reply, ctx, ctx.m.status.title, <StatusPage ctx={ctx} database={shop.db.kind} engineVersion={engineVersion} nodeVersion={process.version} uptimeSeconds={Math.round(process.uptime())} securityCheck={securityCheck} jobs={jobs} notices={notices} malwareScan={malwareScan} integrity={integrity} panScan={panScan} />);
  });

  app.get('/security', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    return sendAdminPage(reply, ctx, ctx.m.security.title, <SecurityPage ctx={ctx} allowList={rt.allowList?.entries} />);
  });
}
