// Who sits on the security committee: every active owner, and the auditor accounts an owner has
// made members in the back office (/admin/security-committee). Adding and removing are audited.
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { adminDb, type AdminAccount } from '../admin/admin-tables.ts';
import { committeeDb } from './committee-tables.ts';

/** Active accounts that may approve or return a report. */
export async function committeeMembers(db: Kysely<any>): Promise<AdminAccount[]> {
  const accounts = await adminDb(db).selectFrom('admin_accounts').selectAll().where('disabled', '=', 0).where('role', 'in', ['owner', 'auditor']).orderBy('id').execute();
  const members = new Set((await committeeDb(db).selectFrom('security_committee_members').select('account_id').execute()).map((r) => r.account_id));
  return accounts.filter((a) => a.role === 'owner' || members.has(a.id));
}

export async function isCommitteeMember(db: Kysely<any>, accountId: number): Promise<boolean> {
  return (await committeeMembers(db)).some((a) => a.id === accountId);
}

/** Auditor accounts with whether each is on the committee (what the membership page lists). */
export async function auditorMemberships(db: Kysely<any>): Promise<{ account: AdminAccount; member: boolean }[]> {
  const auditors = await adminDb(db).selectFrom('admin_accounts').selectAll().where('role', '=', 'auditor').orderBy('id').execute();
  const members = new Set((await committeeDb(db).selectFrom('security_committee_members').select('account_id').execute()).map((r) => r.account_id));
  return auditors.map((account) => ({ account, member: members.has(account.id) }));
}

export type MembershipChange = { ok: true; changed: boolean } | { ok: false; error: 'ACCOUNT_NOT_FOUND' | 'NOT_AN_AUDITOR' };

export async function setCommitteeMembership(db: Kysely<any>, accountId: number, member: boolean, actor: { id: string; ip?: string }, now: Date): Promise<MembershipChange> {
  return db.transaction().execute(async (trx) => {
    const account = await adminDb(trx).selectFrom('admin_accounts').select(['id', 'email', 'role']).where('id', '=', accountId).executeTakeFirst();
    if (!account) return { ok: false as const, error: 'ACCOUNT_NOT_FOUND' as const };
    // Owners are members by their role; the vendor and staff never are.
    if (account.role !== 'auditor') return { ok: false as const, error: 'NOT_AN_AUDITOR' as const };
    const cdb = committeeDb(trx);
    const was = await cdb.selectFrom('security_committee_members').select('account_id').where('account_id', '=', accountId).executeTakeFirst();
    if (Boolean(was) === member) return { ok: true as const, changed: false };
    if (member) await cdb.insertInto('security_committee_members').values({ account_id: accountId, added_by: actor.id, added_at: now.toISOString() }).execute();
    else await cdb.deleteFrom('security_committee_members').where('account_id', '=', accountId).execute();
    await appendAuditEntry(trx, {
      actor: actor.id, action: member ? 'security_committee.member_added' : 'security_committee.member_removed', target: `admin:${accountId}`,
      ...(actor.ip ? { ip: actor.ip } : {}), before: { member: !member, email: account.email }, after: { member, email: account.email }, at: now,
    });
    return { ok: true as const, changed: true };
  });
}
