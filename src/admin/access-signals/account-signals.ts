// Changes to who may do what in the back office, each an alert to every owner: a new owner
// account (CLI `admin:create`, the setup link, or the accounts page), a role change, and a reset
// of an account's second factor. Each is what an intruder with one owner session does first to
// stay in; the alert names the audit entry of the change so an owner can check it.
import type { AlertInput } from '../../alerts/raise-alert.ts';
import type { AdminAccount } from '../admin-tables.ts';

export type OwnerCreatedVia = 'back-office' | 'admin:create' | 'setup-link';

export function newOwnerAlert(account: AdminAccount, auditEntryId: number, via: OwnerCreatedVia, actor: string): AlertInput {
  return {
    kind: 'admin.owner_created',
    // The first owner (setup link, or admin:create on an empty shop) is expected; any later one is not.
    severity: via === 'setup-link' ? 'medium' : 'high',
    dedupeKey: `admin-owner-created:account:${account.id}`,
    summary: `オーナーアカウントが作成されました / new owner account ${account.email} (via ${via}, by ${actor})`,
    evidence: { auditEntryIds: [auditEntryId], account: `account:${account.id}`, email: account.email, via, actor },
  };
}

export function roleChangedAlert(before: AdminAccount, after: AdminAccount, auditEntryId: number, actor: string): AlertInput {
  const ownerInvolved = before.role === 'owner' || after.role === 'owner';
  return {
    kind: 'admin.role_changed',
    severity: ownerInvolved ? 'high' : 'medium',
    dedupeKey: `admin-role-changed:account:${after.id}`,
    summary: `権限が変更されました / role of ${after.email} changed from ${before.role} to ${after.role} by ${actor}`,
    evidence: { auditEntryIds: [auditEntryId], account: `account:${after.id}`, from: before.role, to: after.role, actor },
  };
}

export function mfaResetAlert(account: AdminAccount, auditEntryId: number, actor: string): AlertInput {
  return {
    kind: 'admin.mfa_reset',
    severity: 'high',
    dedupeKey: `admin-mfa-reset:account:${account.id}`,
    summary: `二段階認証がリセットされました / two-step verification of ${account.email} reset by ${actor}: it enrols a new authenticator at its next sign-in`,
    evidence: { auditEntryIds: [auditEntryId], account: `account:${account.id}`, role: account.role, actor },
  };
}
