// Manual attestations of the compliance map (migration 0530): a person says an item is in place,
// until an expiry date, with a note and optionally an evidence file. The file is handled like
// incident evidence (src/incidents/incident-evidence.ts: the same size cap, file-name cleaning and
// card-number scan), written once with mode 0600 under DATA_DIR/compliance/ and its SHA-256 kept;
// a download re-hashes it. Attesting and withdrawing are audited in the same transaction.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Generated, Kysely, Selectable } from 'kysely';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { scanFileForCardNumber } from '../card-data/file-card-scan.ts';
import { EVIDENCE_MAX_BYTES, safeFileName } from '../incidents/incident-evidence.ts';
import { COMPLIANCE_MAP } from './compliance-map.ts';

export { EVIDENCE_MAX_BYTES as ATTESTATION_EVIDENCE_MAX_BYTES };

export interface ComplianceAttestationTable {
  id: Generated<number>;
  item_id: string;
  attested_by: string;
  attested_at: string;
  expires_at: string;
  note: string;
  evidence_file_name: string | null;
  evidence_stored_name: string | null;
  evidence_media_type: string | null;
  evidence_size_bytes: number | null;
  evidence_sha256: string | null;
}
export interface ComplianceAttestationWithdrawalTable {
  attestation_id: number;
  withdrawn_by: string;
  withdrawn_at: string;
  note: string;
}
export type ComplianceTables = { compliance_attestations: ComplianceAttestationTable; compliance_attestation_withdrawals: ComplianceAttestationWithdrawalTable };
export type Attestation = Selectable<ComplianceAttestationTable>;

export interface ComplianceActor { id: string; ip?: string | undefined }

const tables = (db: Kysely<any>) => db.withTables<ComplianceTables>() as unknown as Kysely<ComplianceTables>;

export function complianceEvidenceDir(dataDir: string): string {
  return path.join(dataDir, 'compliance');
}

export interface AttestInput {
  itemId: string;
  expiresAt: Date;
  note: string;
  file?: { bytes: Buffer; fileName: string; mediaType: string } | undefined;
}

export type AttestError = 'ITEM_NOT_FOUND' | 'ITEM_NOT_MANUAL' | 'EXPIRY_NOT_IN_FUTURE' | 'EXPIRY_TOO_FAR' | 'EVIDENCE_EMPTY' | 'EVIDENCE_TOO_LARGE' | 'CARD_NUMBER_IN_EVIDENCE' | 'EVIDENCE_NOT_SCANNABLE';
export type AttestResult = { ok: true; attestation: Attestation } | { ok: false; error: AttestError; maxDays?: number };

export async function attest(db: Kysely<any>, dataDir: string, input: AttestInput, actor: ComplianceActor, now: Date): Promise<AttestResult> {
  const item = COMPLIANCE_MAP.find((i) => i.id === input.itemId);
  if (!item) return { ok: false, error: 'ITEM_NOT_FOUND' };
  if (item.check !== 'manual') return { ok: false, error: 'ITEM_NOT_MANUAL' };
  if (input.expiresAt.getTime() <= now.getTime()) return { ok: false, error: 'EXPIRY_NOT_IN_FUTURE' };
  const maxDays = item.attestationValidDays ?? 365;
  // One day of slack: an expiry typed as a date is the end of that day in the shop's zone.
  if (input.expiresAt.getTime() > now.getTime() + (maxDays + 1) * 86_400_000) return { ok: false, error: 'EXPIRY_TOO_FAR', maxDays };

  let stored: { name: string; path: string; sha256: string } | undefined;
  if (input.file) {
    const { bytes } = input.file;
    if (bytes.length === 0) return { ok: false, error: 'EVIDENCE_EMPTY' };
    if (bytes.length > EVIDENCE_MAX_BYTES) return { ok: false, error: 'EVIDENCE_TOO_LARGE' };
    // A card number never reaches the shop, not even inside an auditor's report.
    const scan = await scanFileForCardNumber(bytes);
    if (!scan.ok) return { ok: false, error: 'EVIDENCE_NOT_SCANNABLE' };
    if (scan.cardNumber) return { ok: false, error: 'CARD_NUMBER_IN_EVIDENCE' };
    const dir = complianceEvidenceDir(dataDir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const name = `${now.toISOString().replace(/[:.]/g, '-')}-${randomUUID()}`;
    stored = { name, path: path.join(dir, name), sha256: createHash('sha256').update(bytes).digest('hex') };
    await writeFile(stored.path, bytes, { mode: 0o600, flag: 'wx' });
  }
  try {
    const attestation = await db.transaction().execute(async (trx) => {
      const row = await tables(trx).insertInto('compliance_attestations').values({
        item_id: item.id, attested_by: actor.id, attested_at: now.toISOString(), expires_at: input.expiresAt.toISOString(), note: input.note,
        evidence_file_name: input.file ? safeFileName(input.file.fileName) : null, evidence_stored_name: stored?.name ?? null,
        evidence_media_type: input.file ? input.file.mediaType.slice(0, 100) : null, evidence_size_bytes: input.file?.bytes.length ?? null, evidence_sha256: stored?.sha256 ?? null,
      }).returningAll().executeTakeFirstOrThrow();
      await appendAuditEntry(trx, {
        actor: actor.id, action: 'compliance.attested', target: `compliance:${item.id}`, ...(actor.ip ? { ip: actor.ip } : {}),
        after: { attestationId: row.id, itemId: item.id, expiresAt: row.expires_at, note: row.note, ...(stored ? { evidence: { fileName: row.evidence_file_name, sizeBytes: row.evidence_size_bytes, sha256: stored.sha256 } } : {}) },
        at: now,
      });
      return row;
    });
    return { ok: true, attestation };
  } catch (err) {
    // Nothing recorded: no file without its row.
    if (stored) await unlink(stored.path).catch(() => {});
    throw err;
  }
}

export type WithdrawResult = { ok: true } | { ok: false; error: 'ATTESTATION_NOT_FOUND' | 'ALREADY_WITHDRAWN' };

export async function withdrawAttestation(db: Kysely<any>, attestationId: number, note: string, actor: ComplianceActor, now: Date): Promise<WithdrawResult> {
  return db.transaction().execute(async (trx) => {
    const t = tables(trx);
    const row = await t.selectFrom('compliance_attestations').selectAll().where('id', '=', attestationId).executeTakeFirst();
    if (!row) return { ok: false, error: 'ATTESTATION_NOT_FOUND' } as const;
    const inserted = await t.insertInto('compliance_attestation_withdrawals').values({ attestation_id: row.id, withdrawn_by: actor.id, withdrawn_at: now.toISOString(), note })
      .onConflict((oc) => oc.column('attestation_id').doNothing()).returning('attestation_id').executeTakeFirst();
    if (!inserted) return { ok: false, error: 'ALREADY_WITHDRAWN' } as const;
    await appendAuditEntry(trx, {
      actor: actor.id, action: 'compliance.withdrawn', target: `compliance:${row.item_id}`, ...(actor.ip ? { ip: actor.ip } : {}),
      before: { attestationId: row.id, attestedBy: row.attested_by, expiresAt: row.expires_at }, after: { note }, at: now,
    });
    return { ok: true } as const;
  });
}

/** Per item, its newest attestation as of `at` that was not withdrawn by then (expired ones included: the caller tells). */
export async function attestationsAsOf(db: Kysely<any>, at: Date): Promise<Map<string, Attestation>> {
  const asOf = at.toISOString();
  const rows = await tables(db).selectFrom('compliance_attestations as a')
    .leftJoin('compliance_attestation_withdrawals as w', (j) => j.onRef('w.attestation_id', '=', 'a.id').on('w.withdrawn_at', '<=', asOf))
    .selectAll('a').where('a.attested_at', '<=', asOf).where('w.attestation_id', 'is', null).orderBy('a.id').execute();
  const out = new Map<string, Attestation>();
  for (const r of rows) out.set(r.item_id, r);
  return out;
}

export type ReadAttestationEvidence =
  | { ok: true; attestation: Attestation; bytes: Buffer }
  | { ok: false; error: 'EVIDENCE_NOT_FOUND' | 'EVIDENCE_FILE_MISSING' | 'EVIDENCE_HASH_MISMATCH' };

/** The stored bytes, only while they still hash to what was recorded. */
export async function readAttestationEvidence(db: Kysely<any>, dataDir: string, attestationId: number): Promise<ReadAttestationEvidence> {
  const attestation = await tables(db).selectFrom('compliance_attestations').selectAll().where('id', '=', attestationId).executeTakeFirst();
  if (!attestation?.evidence_stored_name || !attestation.evidence_sha256) return { ok: false, error: 'EVIDENCE_NOT_FOUND' };
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(complianceEvidenceDir(dataDir), attestation.evidence_stored_name));
  } catch {
    return { ok: false, error: 'EVIDENCE_FILE_MISSING' };
  }
  if (createHash('sha256').update(bytes).digest('hex') !== attestation.evidence_sha256) return { ok: false, error: 'EVIDENCE_HASH_MISMATCH' };
  return { ok: true, attestation, bytes };
}
