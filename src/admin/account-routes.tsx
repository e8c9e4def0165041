// The dashboard and the owner's account management (create, role, refund limit, vendor
// time-box, disable; one account's page with its TOTP reset). Registered inside the admin plugin
// (admin-guard.tsx applies).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ADMIN_ROLES } from './admin-tables.ts';
import { adminMessagesFor, adminViewContext, sendAdminPage } from './admin-view-context.ts';
import { endAllSessions } from './admin-sessions.ts';
import { accountForAudit, createAccount, findAccount, listAccounts, resetAccountTotp } from './admin-accounts.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { checkFreshTotp } from './admin-login.ts';
import { raiseAlert } from '../alerts/raise-alert.ts';
import { mfaResetAlert, newOwnerAlert, roleChangedAlert } from './access-signals/account-signals.ts';
import type { AdminRuntime } from './admin-guard.tsx';
import { sendDashboard } from './dashboard.tsx';
import { AccountPage, AccountsPage, type AccountFormValues, type AccountPageErrors } from './views/accounts-page.tsx';
import { containsCardNumber, textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { RowIdParam } from '../http/row-id.js';

const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
const Yen = z.union([z.literal('').transform(() => null), z.coerce.number().int().min(0).max(100_000_000)]);
/** datetime-local gives `YYYY-MM-DDTHH:MM`; the form says the time is UTC. */
const Instant = z.union([
  z.literal('').transform(() => null),
  z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/).transform((s) => new Date(`${s}:00Z`).toISOString()),
]);
const AccountCreateForm = z.object({
  email: Email, role: z.enum(ADMIN_ROLES), password: z.string().max(1024),
  refundLimit: Yen.optional().default(null), accessExpiresAt: Instant.optional().default(null),
});
const AccountUpdateForm = z.object({
  role: z.enum(ADMIN_ROLES), refundLimit: Yen.optional().default(null), accessExpiresAt: Instant.optional().default(null),
  disabled: z.literal('1').optional(),
});
const ResetTotpForm = z.object({
  reason: textWithoutCardNumber(z.string().trim().min(1).max(200)),
  /** The acting owner's fresh TOTP code: required to reset another account's second factor. */
  code: z.string().trim().min(1).max(20),
});
const AccountParams = z.object({ id: RowIdParam });

export async function accountRoutes(app: FastifyInstance, rt: AdminRuntime) {
  const { db, now } = rt;
  const html = sendAdminPage;

  app.get('/', async (request, reply) => sendDashboard(db, request, reply));

  async function accountsPage(request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string; values?: AccountFormValues }, status = 200) {
    const ctx = adminViewContext(request, reply);
    const accounts = await listAccounts(db);
    return html(reply, ctx, ctx.m.accounts.title, <AccountsPage ctx={ctx} accounts={accounts} selfId={request.adminSession!.account.id} {...extra} />, status);
  }

  app.get('/accounts', async (request, reply) => accountsPage(request, reply, {}));

  app.post('/accounts', async (request, reply) => {
    const m = adminMessagesFor(request.locale);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: AccountFormValues = { email: String(body.email ?? '').slice(0, 254), role: String(body.role ?? ''), refundLimit: String(body.refundLimit ?? '').slice(0, 12), accessExpiresAt: String(body.accessExpiresAt ?? '').slice(0, 16) };
    const form = AccountCreateForm.safeParse(body);
    if (!form.success) return accountsPage(request, reply, { error: m.accounts.invalid, values }, 400);
    const actor = request.adminSession!.account;
    const created = await createAccount(db, {
      email: form.data.email, password: form.data.password, role: form.data.role, refundLimit: form.data.refundLimit, accessExpiresAt: form.data.accessExpiresAt,
    }, now());
    if (!created.ok) return accountsPage(request, reply, { error: m.password[created.error], values }, 400);
    const entry = await appendAuditEntry(db, { actor: `admin:${actor.id}`, action: 'account.created', target: `account:${created.account.id}`, ip: request.ip, after: accountForAudit(created.account), at: now() });
    if (created.account.role === 'owner') await raiseAlert(app.shop, newOwnerAlert(created.account, entry.id, 'back-office', actor.email));
    return accountsPage(request, reply, { notice: m.accounts.created });
  });

  app.post('/accounts/:id', async (request, reply) => {
    const m = adminMessagesFor(request.locale);
    const params = AccountParams.safeParse(request.params);
    const form = AccountUpdateForm.safeParse(request.body ?? {});
    if (!params.success || !form.success) return accountsPage(request, reply, { error: m.accounts.invalid }, 400);
    const actor = request.adminSession!.account;
    if (params.data.id === actor.id) return accountsPage(request, reply, { error: m.accounts.cannotChangeSelf }, 400);
    const before = await findAccount(db, params.data.id);
    if (!before) return reply.callNotFound();
    const disabled = form.data.disabled === '1' ? 1 : 0;
    const after = await db.updateTable('admin_accounts').set({
      role: form.data.role,
      refund_limit: form.data.role === 'staff' ? (form.data.refundLimit ?? 0) : null,
      access_expires_at: form.data.accessExpiresAt,
      disabled,
    }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
    // A new role or a disabled account takes effect now, not at the next login.
    if (after.role !== before.role || after.disabled !== before.disabled || after.access_expires_at !== before.access_expires_at) await endAllSessions(db, before.id);
    const updated = await appendAuditEntry(db, { actor: `admin:${actor.id}`, action: 'account.updated', target: `account:${before.id}`, ip: request.ip, before: accountForAudit(before), after: accountForAudit(after), at: now() });
    if (after.role !== before.role) await raiseAlert(app.shop, roleChangedAlert(before, after, updated.id, actor.email));
    return accountsPage(request, reply, { notice: m.accounts.updated });
  });

  async function accountPage(request: FastifyRequest, reply: FastifyReply, id: number, extra: { notice?: string; error?: string; errors?: AccountPageErrors; values?: { reason?: string } }, status = 200) {
    const account = await findAccount(db, id);
    if (!account) return reply.callNotFound();
    const ctx = adminViewContext(request, reply);
    return html(reply, ctx, ctx.m.accounts.detailTitle(account.email), <AccountPage ctx={ctx} account={account} selfId={request.adminSession!.account.id} {...extra} />, status);
  }

  app.get('/accounts/:id', async (request, reply) => {
    const params = AccountParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    return accountPage(request, reply, params.data.id, done === 'totp-reset' ? { notice: adminMessagesFor(request.locale).accounts.resetTotp.done } : {});
  });

  app.post('/accounts/:id/reset-totp', async (request, reply) => {
    const r = adminMessagesFor(request.locale).accounts.resetTotp;
    const params = AccountParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const actor = request.adminSession!.account;
    // Refused before anything is read or spent: the owner's own factor is theirs to keep.
    if (params.data.id === actor.id) return accountPage(request, reply, actor.id, { error: r.self }, 400);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const typed = typeof body.reason === 'string' ? body.reason.slice(0, 200) : '';
    const values = { reason: containsCardNumber(typed) ? '' : typed };
    const form = ResetTotpForm.safeParse(body);
    if (!form.success) {
      const bad = new Set(form.error.issues.map((i) => i.path[0]));
      return accountPage(request, reply, params.data.id, { errors: { reason: bad.has('reason') ? r.reasonRequired : undefined, code: bad.has('code') ? r.codeRequired : undefined }, values }, 400);
    }
    const target = await findAccount(db, params.data.id);
    if (!target) return reply.callNotFound();
    // Nothing to reset: say so before the owner's code is spent.
    if (!target.mfa_enrolled_at) return accountPage(request, reply, target.id, { error: r.notEnrolled }, 409);
    // Resetting a colleague's second factor lets whoever knows their password enrol a new
    // authenticator: a stolen owner session alone must not do it (the same check as lifting a pause).
    const fresh = await checkFreshTotp(db, rt.totpBox(), actor.id, form.data.code, now(), request.ip, rt.loginGuard());
    if (!fresh.ok) {
      await rt.waitAfterFailure(fresh.failures);
      const p = adminMessagesFor(request.locale).securityArea.pause;
      return accountPage(request, reply, target.id, { errors: { code: fresh.error === 'LOCKED' ? p.locked : fresh.error === 'NOT_ENROLLED' ? p.notEnrolled : p.invalidCode }, values }, 400);
    }
    const done = await resetAccountTotp(db, target.id, form.data.reason, { id: actor.id, ip: request.ip }, now());
    if (!done.ok && done.error === 'NOT_FOUND') return reply.callNotFound();
    if (!done.ok) return accountPage(request, reply, target.id, { error: done.error === 'SELF' ? r.self : r.notEnrolled }, 409);
    // Told after the commit (raiseAlert's own transaction): every owner hears of the reset.
    await raiseAlert(app.shop, mfaResetAlert(done.account, done.auditEntryId, actor.email));
    return reply.code(303).redirect(`/admin/accounts/${target.id}?done=totp-reset`);
  });
}
