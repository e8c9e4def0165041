// Evidence of an incident: files a person uploads and records the shop exports of itself (the
// audit-log segment of the period, the page-watch runs, the watchers' results, the scan history).
// Each file is hashed (SHA-256) before it is written, written once (0600, under
// DATA_DIR/incidents/<id>/, never overwritten: `wx`), and its row is append-only (migration 0501's
// triggers). A download re-hashes the file and refuses to hand out bytes that no longer match.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { toAuditEntry, type AuditLogDatabase } from '../audit/audit-log-table.ts';
import { RUN_HISTORY_LIMIT, recentRuns } from '../page-watch/baseline.ts';
import { scanHistory, type ScanTables } from '../scanner/scan-history.ts';
import { WATCHERS, watchResultsBetween } from '../watch-results/watch-results.ts';
import { scanFileForCardNumber } from '../card-data/file-card-scan.ts';
import { incidentDb, type EvidenceSource, type Incident, type IncidentEvidence } from './incident-tables.ts';
import type { IncidentActor } from './incident-service.ts';
import { timelinePeriod } from './incident-timeline.ts';

/** Uploads above this are refused (forensic reports and screenshots fit; disk images do not belong here). */
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;

export const EXPORTABLE_EVIDENCE = ['audit-log', 'page-watch-runs', 'watch-results', 'scan-history'] as const;
export type ExportableEvidence = (typeof EXPORTABLE_EVIDENCE)[number];

export function incidentEvidenceDir(dataDir: string, incidentId: number): string {
  return path.join(dataDir, 'incidents', String(incidentId));
}

export type StoreEvidenceResult =
  | { ok: true; evidence: IncidentEvidence }
  | { ok: false; error: 'INCIDENT_NOT_FOUND' | 'INCIDENT_CLOSED' | 'EVIDENCE_TOO_LARGE' | 'EVIDENCE_EMPTY' | 'CARD_NUMBER_IN_EVIDENCE' | 'EVIDENCE_NOT_SCANNABLE' };

export interface EvidenceFile { bytes: Buffer; fileName: string; mediaType: string; description: string; source: EvidenceSource }

/**
 * Keeps a name safe to show and to offer in Content-Disposition: no path, no control characters,
 * and no bidirectional controls (`report\u202Efdp.exe` would show as `reportexe.pdf`).
 */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f-\u009f"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return (base || 'evidence').slice(0, 200);
}

export async function storeEvidence(db: Kysely<any>, dataDir: string, incidentId: number, file: EvidenceFile, actor: IncidentActor, now: Date): Promise<StoreEvidenceResult> {
  const incident = await incidentDb(db).selectFrom('incidents').select(['id', 'status']).where('id', '=', incidentId).executeTakeFirst();
  if (!incident) return { ok: false, error: 'INCIDENT_NOT_FOUND' };
  if (incident.status !== 'open') return { ok: false, error: 'INCIDENT_CLOSED' };
  if (file.bytes.length === 0) return { ok: false, error: 'EVIDENCE_EMPTY' };
  if (file.bytes.length > EVIDENCE_MAX_BYTES) return { ok: false, error: 'EVIDENCE_TOO_LARGE' };
  // A card number never reaches the shop, not even inside a forensic report: ask for a masked copy.
  // (Exports are the shop's own records, already kept free of card numbers; their hex hashes are
  // not scanned, where a digit run could look like one by chance.)
  // The scan looks through UTF-16, full-width digits, PDFs and ZIP/Office files; a file it cannot
  // look into is refused rather than stored unscanned.
  if (file.source === 'upload') {
    const scan = await scanFileForCardNumber(file.bytes);
    if (!scan.ok) return { ok: false, error: 'EVIDENCE_NOT_SCANNABLE' };
    if (scan.cardNumber) return { ok: false, error: 'CARD_NUMBER_IN_EVIDENCE' };
  }

  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  const dir = incidentEvidenceDir(dataDir, incidentId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const storedName = `${now.toISOString().replace(/[:.]/g, '-')}-${randomUUID()}`;
  const storedPath = path.join(dir, storedName);
  await writeFile(storedPath, file.bytes, { mode: 0o600, flag: 'wx' });
  try {
    const evidence = await db.transaction().execute(async (trx) => {
      const row = await incidentDb(trx).insertInto('incident_evidence').values({
        incident_id: incidentId, source: file.source, file_name: safeFileName(file.fileName), stored_name: storedName,
        media_type: file.mediaType.slice(0, 100), size_bytes: file.bytes.length, sha256, description: file.description,
        added_by: actor.id, added_at: now.toISOString(),
      }).returningAll().executeTakeFirstOrThrow();
      await appendAuditEntry(trx, {
        actor: actor.id, action: 'incident.evidence_added', target: `incident:${incidentId}`, ...(actor.ip ? { ip: actor.ip } : {}),
        after: { evidenceId: row.id, source: file.source, fileName: row.file_name, sizeBytes: row.size_bytes, sha256 }, at: now,
      });
      return row;
    });
    return { ok: true, evidence };
  } catch (err) {
    // Nothing recorded: no file without its row.
    await unlink(storedPath).catch(() => {});
    throw err;
  }
}

export async function listEvidence(db: Kysely<any>, incidentId: number): Promise<IncidentEvidence[]> {
  return incidentDb(db).selectFrom('incident_evidence').selectAll().where('incident_id', '=', incidentId).orderBy('id').execute();
}

export type ReadEvidenceResult =
  | { ok: true; evidence: IncidentEvidence; bytes: Buffer }
  | { ok: false; error: 'EVIDENCE_NOT_FOUND' | 'EVIDENCE_FILE_MISSING' | 'EVIDENCE_HASH_MISMATCH'; evidence?: IncidentEvidence };

/** The stored bytes, only when they still hash to what was recorded. */
export async function readEvidenceVerified(db: Kysely<any>, dataDir: string, incidentId: number, evidenceId: number): Promise<ReadEvidenceResult> {
  const evidence = await incidentDb(db).selectFrom('incident_evidence').selectAll().where('id', '=', evidenceId).where('incident_id', '=', incidentId).executeTakeFirst();
  if (!evidence) return { ok: false, error: 'EVIDENCE_NOT_FOUND' };
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(incidentEvidenceDir(dataDir, incidentId), evidence.stored_name));
  } catch {
    return { ok: false, error: 'EVIDENCE_FILE_MISSING', evidence };
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== evidence.sha256) return { ok: false, error: 'EVIDENCE_HASH_MISMATCH', evidence };
  return { ok: true, evidence, bytes };
}

/** What the shop knows of itself over the incident's period, as one file. */
async function exportBytes(db: Kysely<any>, incident: Incident, source: ExportableEvidence, now: Date): Promise<{ bytes: Buffer; extension: string; mediaType: string }> {
  const { from, to } = timelinePeriod(incident, now);
  const inPeriod = (iso: string) => iso >= from.toISOString() && iso < to.toISOString();
  const json = (value: unknown) => ({ bytes: Buffer.from(`${JSON.stringify({ incident: incident.reference, from: from.toISOString(), to: to.toISOString(), exportedAt: now.toISOString(), [source]: value }, null, 2)}\n`), extension: 'json', mediaType: 'application/json' });
  switch (source) {
    case 'audit-log': {
      // JSON lines with prevHash/hash on each entry, and every entry between the period's first
      // and last one (an entry written with an earlier time cannot leave a gap): the segment can be
      // checked link by link without the database.
      const audit = db as Kysely<AuditLogDatabase>;
      const bounds = await audit.selectFrom('audit_log').select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
        .where('created_at', '>=', from.toISOString()).where('created_at', '<', to.toISOString()).executeTakeFirst();
      const lines: string[] = [];
      if (bounds?.first != null && bounds.last != null) {
        for (let after = Number(bounds.first) - 1; after < Number(bounds.last);) {
          const rows = await audit.selectFrom('audit_log').selectAll().where('id', '>', after).where('id', '<=', Number(bounds.last)).orderBy('id').limit(500).execute();
          if (rows.length === 0) break;
          for (const row of rows) lines.push(`${JSON.stringify(toAuditEntry(row))}\n`);
          after = rows[rows.length - 1]!.id;
        }
      }
      return { bytes: Buffer.from(lines.join('')), extension: 'jsonl', mediaType: 'application/x-ndjson' };
    }
    case 'page-watch-runs':
      return json((await recentRuns(db, RUN_HISTORY_LIMIT)).filter((r) => inPeriod(r.startedAt)).reverse());
    case 'watch-results': {
      const out: Record<string, unknown> = {};
      for (const watcher of WATCHERS) out[watcher] = await watchResultsBetween(db, watcher, from, to);
      return json(out);
    }
    case 'scan-history': {
      const targets = await (db as Kysely<ScanTables>).selectFrom('scan_runs').select('target_url').distinct().execute();
      const out: Record<string, unknown> = {};
      for (const { target_url } of targets) out[target_url] = (await scanHistory(db, target_url, 1000)).filter((r) => inPeriod(r.startedAt));
      return json(out);
    }
  }
}

export async function exportEvidence(db: Kysely<any>, dataDir: string, incident: Incident, source: ExportableEvidence, actor: IncidentActor, now: Date): Promise<StoreEvidenceResult> {
  const { bytes, extension, mediaType } = await exportBytes(db, incident, source, now);
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '').replace(/-/g, '');
  return storeEvidence(db, dataDir, incident.id, {
    bytes, mediaType, source, fileName: `${incident.reference}-${source}-${stamp}.${extension}`,
    description: `exported from the shop: ${source}`,
  }, actor, now);
}
