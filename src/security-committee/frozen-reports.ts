// The frozen copies of an approved report, checked on every view and download: the stored bytes'
// SHA-256 must equal both the row's hash and the hash written into the approval's audit entry (which
// the audit chain protects). Anything else is ALTERED and the copy is not served.
import type { Kysely } from 'kysely';
import { committeeDb, FROZEN_FORMATS, type FrozenFormat } from './committee-tables.ts';
import { sha256Hex } from './review-service.ts';

export interface FrozenCopyCheck {
  format: FrozenFormat;
  /** The hash recorded at approval (audit entry), or the row's if the entry is missing. */
  recordedSha256: string;
  actualSha256: string;
  sizeBytes: number;
  status: 'intact' | 'altered' | 'missing';
}

/** Hashes the audit entry of the month's approval recorded, by format. */
async function recordedHashes(db: Kysely<any>, month: string): Promise<Partial<Record<FrozenFormat, string>> | undefined> {
  const entry = await db.withTables<{ audit_log: { action: string; target: string | null; after_json: string | null; id: number } }>()
    .selectFrom('audit_log').select('after_json').where('action', '=', 'security_report.approved').where('target', '=', `monthly-report:${month}`)
    .orderBy('id').limit(1).executeTakeFirst();
  if (!entry?.after_json) return undefined;
  const files = (JSON.parse(entry.after_json) as { files?: Record<string, { sha256: string }> }).files ?? {};
  return Object.fromEntries(Object.entries(files).map(([f, v]) => [f, v.sha256])) as Partial<Record<FrozenFormat, string>>;
}

export async function checkFrozenCopies(db: Kysely<any>, month: string): Promise<FrozenCopyCheck[]> {
  const rows = await committeeDb(db).selectFrom('monthly_report_frozen').selectAll().where('month', '=', month).execute();
  const recorded = await recordedHashes(db, month);
  return FROZEN_FORMATS.map((format) => {
    const row = rows.find((r) => r.format === format);
    const expected = recorded?.[format];
    if (!row) return { format, recordedSha256: expected ?? '', actualSha256: '', sizeBytes: 0, status: 'missing' as const };
    const actual = sha256Hex(row.content);
    const intact = expected !== undefined && actual === expected && row.sha256 === expected && row.size_bytes === row.content.length;
    return { format, recordedSha256: expected ?? row.sha256, actualSha256: actual, sizeBytes: row.content.length, status: intact ? 'intact' as const : 'altered' as const };
  });
}

export type FrozenRead = { ok: true; bytes: Buffer; mediaType: string; sha256: string } | { ok: false; error: 'NOT_FROZEN' | 'ALTERED' };

/** One frozen copy, verified; an altered one is refused rather than served. */
export async function readFrozenCopy(db: Kysely<any>, month: string, format: FrozenFormat): Promise<FrozenRead> {
  const row = await committeeDb(db).selectFrom('monthly_report_frozen').selectAll().where('month', '=', month).where('format', '=', format).executeTakeFirst();
  if (!row) return { ok: false, error: 'NOT_FROZEN' };
  const expected = (await recordedHashes(db, month))?.[format];
  const bytes = Buffer.from(row.content);
  const actual = sha256Hex(bytes);
  if (expected === undefined || actual !== expected || row.sha256 !== expected) return { ok: false, error: 'ALTERED' };
  return { ok: true, bytes, mediaType: row.media_type, sha256: actual };
}
