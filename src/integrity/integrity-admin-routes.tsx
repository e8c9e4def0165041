// /admin/security/integrity: the latest file-integrity result and the baseline for owners and
// auditors; approving the installation after a deploy is the owner's, with a fresh TOTP code
// (as for the page watch), so a stolen session cannot bless an intruder's files.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkFreshTotp } from '../admin/admin-login.ts';
import { adminMessagesFor, adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import type { AdminRuntime } from '../admin/admin-guard.tsx';
import { accessFor, roleMayUse } from '../admin/route-access.ts';
import { latestWatchResult } from '../watch-results/watch-results.ts';
import { approveInstallation, integritySubject, recordApprovalResult, type IntegritySubject } from './check-integrity.ts';
import { integrityMessagesFor } from './integrity-messages.ts';
import { IntegrityPage, type BaselineInfo } from './integrity-pages.tsx';
import { readIntegrityKey, readManifest } from './manifest-store.ts';

const ApproveForm = z.object({ code: z.string().max(20) });

export function baselineInfo(subject: IntegritySubject): BaselineInfo {
  let key: Buffer | undefined;
  try {
    key = readIntegrityKey(subject.paths);
  } catch (err) {
    return { state: 'untrusted', problem: err instanceof Error ? err.message : String(err) };
  }
  if (!key) return { state: 'none' };
  const read = readManifest(subject.paths, key);
  if (!read.ok) return { state: 'untrusted', problem: read.error };
  const m = read.manifest;
  return { state: 'present', trust: m.trust, createdAt: m.createdAt, recordedBy: m.recordedBy, files: Object.keys(m.files).length };
}

export async function integrityAdminRoutes(app: FastifyInstance, rt: AdminRuntime) {
  const shop = app.shop;
  const subject = () => integritySubject(shop.config, shop.clock);

  async function page(request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string; codeError?: string }, status = 200) {
    const ctx = adminViewContext(request, reply);
    const latest = await latestWatchResult(shop.db.db, 'integrity');
    const access = accessFor('POST', '/admin/security/integrity/approve');
    const mayApprove = access !== undefined && roleMayUse(access, signedInAccount(request).role);
    const t = integrityMessagesFor(ctx.locale);
    return sendAdminPage(reply, ctx, t.title, <IntegrityPage ctx={ctx} latest={latest} baseline={baselineInfo(subject())} mayApprove={mayApprove} {...extra} />, status);
  }

  app.get('/security/integrity', async (request, reply) => page(request, reply, {}));

  app.post('/security/integrity/approve', async (request, reply) => {
    const form = ApproveForm.safeParse(request.body ?? {});
    if (!form.success) return page(request, reply, { error: adminMessagesFor(request.locale).errors.badRequest }, 400);
    const account = signedInAccount(request);
    const checked = await checkFreshTotp(rt.db, rt.totpBox(), account.id, form.data.code, rt.now(), request.ip, rt.loginGuard());
    if (!checked.ok) {
      await rt.waitAfterFailure(checked.failures);
      const p = adminMessagesFor(request.locale).securityArea.pause;
      return page(request, reply, { codeError: checked.error === 'LOCKED' ? p.locked : checked.error === 'NOT_ENROLLED' ? p.notEnrolled : p.invalidCode }, checked.error === 'LOCKED' ? 429 : 400);
    }
    const t = integrityMessagesFor(request.locale);
    const approved = await approveInstallation(shop.db.db, subject(), { id: `admin:${account.id}`, ip: request.ip });
    if (!approved.ok) return page(request, reply, { error: t.approveFailed(approved.detail) }, 500);
    await recordApprovalResult(shop.db.db, approved, shop.clock());
    return page(request, reply, { notice: t.approved(approved.changes.length) });
  });
}
