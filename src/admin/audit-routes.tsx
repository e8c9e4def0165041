// The audit log pages (owner and auditor, read-only): search, JSON-lines export, verification.
// Built on the audit module's own search, export and verification; exports are audited too.
import type { FastifyInstance } from 'fastify';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { adminViewContext, sendAdminPage, signedInAccount } from './admin-view-context.ts';
import { AuditLogPage, AuditVerifyPage, type AuditFormValues } from './views/audit-pages.tsx';
import { parseAuditLogSearch, searchAuditLog } from '../audit/search-audit-log.ts';
import { exportAuditLogJsonl } from '../audit/export-audit-log.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { defaultAuditAnchorsFile } from '../audit/audit-anchors.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';

const FIELDS = ['actor', 'action', 'target', 'from', 'to', 'text'] as const;
const RawQuery = z.record(z.string(), z.unknown());

/** The form's datetime-local values are UTC (the label says so); the search wants instants. */
function toSearchInput(query: unknown): { values: AuditFormValues; input: Record<string, unknown> } {
  const raw = RawQuery.catch({}).parse(query ?? {});
  const values: AuditFormValues = {};
  const input: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = typeof raw[f] === 'string' ? (raw[f] as string).slice(0, 300) : '';
    values[f] = v;
    input[f] = (f === 'from' || f === 'to') && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00Z` : v;
  }
  if (typeof raw.beforeId === 'string') input.beforeId = raw.beforeId.slice(0, 12);
  return { values, input };
}

export async function auditAdminRoutes(app: FastifyInstance) {
  const shop = app.shop;
  const db = shop.db.db;

  app.get('/audit', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const { values, input } = toSearchInput(request.query);
    const parsed = parseAuditLogSearch({ ...input, limit: 50 });
    if (!parsed.ok) return sendAdminPage(reply, ctx, ctx.m.audit.title, <AuditLogPage ctx={ctx} values={values} entries={[]} nextBeforeId={null} error={ctx.m.audit.invalid} />, 400);
    const page = await searchAuditLog(db, parsed.search);
    return sendAdminPage(reply, ctx, ctx.m.audit.title, <AuditLogPage ctx={ctx} values={values} entries={page.entries} nextBeforeId={page.nextBeforeId} />);
  });

  app.get('/audit.jsonl', async (request, reply) => {
    const { input } = toSearchInput(request.query);
    const parsed = parseAuditLogSearch(input);
    if (!parsed.ok) return reply.code(400).type('text/plain; charset=utf-8').send(adminViewContext(request, reply).m.audit.invalid);
    const { limit: _limit, beforeId: _beforeId, ...filter } = parsed.search;
    const account = signedInAccount(request);
    // Recorded before the export runs, so the export contains its own record.
    await appendAuditEntry(db, { actor: `admin:${account.id}`, action: 'audit.exported', target: 'audit_log', ip: request.ip, after: { filter }, at: shop.clock() });
    const stream = new PassThrough();
    void exportAuditLogJsonl(db, filter, (line) => {
      if (!stream.write(line)) return new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    }).then(() => stream.end(), (err: unknown) => {
      request.log.error({ err }, 'audit export failed');
      stream.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    return reply
      .type('application/jsonl; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-log-${shop.clock().toISOString().slice(0, 10)}.jsonl"`)
      .send(stream);
  });

  app.get('/audit/verify', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const r = await verifyAuditChain(db, { anchorsFile: defaultAuditAnchorsFile(shop.config.dataDir) });
    const result = r.ok
      ? { ok: true as const, entries: r.entries, anchorsFound: r.anchors?.found ?? false }
      : { ok: false as const, firstBadId: r.firstBadId, reason: r.reason, detail: r.detail };
    return sendAdminPage(reply, ctx, ctx.m.audit.verifyTitle, <AuditVerifyPage ctx={ctx} result={result} />, r.ok ? 200 : 409);
  });
}
