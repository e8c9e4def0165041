// The checklist that stands between an incident and resuming the shop. The software fills what it
// can check itself — each from the watcher's own record, and only from runs after the merchant
// became aware (a clean result from before the breach proves nothing about the fix) — and people
// attest what only they know. Every item is green, red (or not run: never green by default), or
// explicitly waived with a reason; attestations and waivers are audited.
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { currentBaseline, recentRuns } from '../page-watch/baseline.ts';
import { listSecurityChecks } from '../policy/daily.ts';
import { latestScan, type ScanTables } from '../scanner/scan-history.ts';
import { latestWatchResult, type Watcher } from '../watch-results/watch-results.ts';
import { incidentDb, type Incident, type IncidentChecklistMark } from './incident-tables.ts';
import type { IncidentActor } from './incident-service.ts';

export const AUTOMATIC_ITEMS = ['external_scan', 'file_integrity', 'page_watch', 'audit_chain', 'deploy_gate', 'pan_scan'] as const;
export const MANUAL_ITEMS = ['forensic_report', 'card_brands_consent', 'committee_approval'] as const;
export const CHECKLIST_ITEMS = [...AUTOMATIC_ITEMS, ...MANUAL_ITEMS] as const;
export type ChecklistItemKey = (typeof CHECKLIST_ITEMS)[number];
export type ManualItemKey = (typeof MANUAL_ITEMS)[number];

/** For the CLI and the kill switch's refusal message, which have no locale. */
export const CHECKLIST_LABELS: Record<ChecklistItemKey, { ja: string; en: string }> = {
  external_scan: { ja: '外部スキャンの合格', en: 'External scan passing' },
  file_integrity: { ja: 'ファイル改ざん検知で異常なし', en: 'File integrity clean' },
  page_watch: { ja: '決済ページが承認済みの基準と一致', en: 'Payment pages match an approved baseline' },
  audit_chain: { ja: '監査ログのチェーン検証', en: 'Audit chain verified' },
  deploy_gate: { ja: 'デプロイゲート（mamori check）の合格', en: 'Deploy gate (mamori check) passing' },
  pan_scan: { ja: 'カード番号スキャン（pan-scan）で検出なし', en: 'No card number found by pan-scan' },
  forensic_report: { ja: 'フォレンジック調査報告書の受領', en: 'Forensic report received' },
  card_brands_consent: { ja: 'カード会社の再開同意', en: "Card companies' consent" },
  committee_approval: { ja: 'セキュリティ委員会の承認', en: 'Security committee approval' },
};

/** green: checked and good; red: checked and bad; not_run: nothing checked since awareness; pending: not attested yet. */
export type ItemState = 'green' | 'red' | 'not_run' | 'pending' | 'waived';

export interface ChecklistItem {
  key: ChecklistItemKey;
  automatic: boolean;
  state: ItemState;
  /** What the state rests on, in English (ids, times, counts); the page shows it as is. */
  basis: string;
  mark: IncidentChecklistMark | null;
}

export const itemDone = (i: Pick<ChecklistItem, 'state'>) => i.state === 'green' || i.state === 'waived';

type Checked = { state: 'green' | 'red' | 'not_run'; basis: string };

function watcherItem(result: Awaited<ReturnType<typeof latestWatchResult>>, watcher: Watcher, since: string): Checked {
  if (!result) return { state: 'not_run', basis: `${watcher} has never run` };
  if (result.ran_at < since) return { state: 'not_run', basis: `${watcher} last ran ${result.ran_at}, before the incident` };
  return { state: result.outcome === 'clean' ? 'green' : 'red', basis: `${watcher} ${result.outcome} at ${result.ran_at}: ${result.summary}` };
}

async function automaticState(db: Kysely<any>, key: (typeof AUTOMATIC_ITEMS)[number], since: string): Promise<Checked> {
  switch (key) {
    case 'external_scan': {
      const targets = await (db as Kysely<ScanTables>).selectFrom('scan_runs').select('target_url').distinct().execute();
      const latest = (await Promise.all(targets.map((t) => latestScan(db, t.target_url)))).filter((s) => s !== undefined && s.startedAt >= since);
      if (latest.length === 0) return { state: 'not_run', basis: 'no external scan since the incident' };
      const failing = latest.filter((s) => s!.verdict !== 'pass');
      return failing.length > 0
        ? { state: 'red', basis: `scan #${failing[0]!.id} of ${failing[0]!.targetUrl} failed at ${failing[0]!.startedAt}` }
        : { state: 'green', basis: latest.map((s) => `scan #${s!.id} of ${s!.targetUrl} passed at ${s!.startedAt}`).join('; ') };
    }
    case 'file_integrity':
      return watcherItem(await latestWatchResult(db, 'integrity'), 'integrity', since);
    case 'pan_scan':
      return watcherItem(await latestWatchResult(db, 'pan-scan'), 'pan-scan', since);
    case 'page_watch': {
      const [run] = await recentRuns(db, 1);
      const baseline = await currentBaseline(db);
      if (!run || run.startedAt < since) return { state: 'not_run', basis: 'no page-watch run since the incident' };
      if (!baseline || baseline.status !== 'approved') return { state: 'red', basis: 'the current baseline is not approved by an owner' };
      if (run.outcome !== 'match' || run.baselineId !== baseline.id) return { state: 'red', basis: `run #${run.id} at ${run.startedAt}: ${run.outcome} against baseline #${run.baselineId ?? '-'}` };
      return { state: 'green', basis: `run #${run.id} at ${run.startedAt} matches approved baseline #${baseline.id}` };
    }
    case 'audit_chain': {
      const v = await verifyAuditChain(db);
      return v.ok ? { state: 'green', basis: `${v.entries} entries, head #${v.head.id}` } : { state: 'red', basis: `${v.reason} at entry #${v.firstBadId}` };
    }
    case 'deploy_gate': {
      const [check] = await listSecurityChecks(db, { limit: 1 });
      if (!check || check.finishedAt < since) return { state: 'not_run', basis: 'no deploy-gate check since the incident' };
      return { state: check.status === 'pass' ? 'green' : 'red', basis: `check #${check.id} ${check.status} at ${check.finishedAt} (${check.violations} violations)` };
    }
  }
}

export async function evaluateChecklist(db: Kysely<any>, incident: Incident): Promise<ChecklistItem[]> {
  const marks = await incidentDb(db).selectFrom('incident_checklist_marks').selectAll().where('incident_id', '=', incident.id).execute();
  const markOf = (key: string) => marks.find((m) => m.item === key) ?? null;
  const items: ChecklistItem[] = [];
  for (const key of AUTOMATIC_ITEMS) {
    const mark = markOf(key);
    const checked = await automaticState(db, key, incident.aware_at);
    items.push({ key, automatic: true, state: mark?.mark === 'waived' && checked.state !== 'green' ? 'waived' : checked.state, basis: checked.basis, mark });
  }
  for (const key of MANUAL_ITEMS) {
    const mark = markOf(key);
    items.push({ key, automatic: false, state: mark ? (mark.mark === 'attested' ? 'green' : 'waived') : 'pending', basis: mark ? mark.note : '', mark });
  }
  return items;
}

export async function openChecklistItems(db: Kysely<any>, incident: Incident): Promise<ChecklistItemKey[]> {
  return (await evaluateChecklist(db, incident)).filter((i) => !itemDone(i)).map((i) => i.key);
}

export type MarkResult = { ok: true } | { ok: false; error: 'INCIDENT_NOT_FOUND' | 'INCIDENT_CLOSED' | 'NOT_A_MANUAL_ITEM' };

/** Attests a manual item (who and when are recorded) or waives any item with a reason; both audited. */
export async function markChecklistItem(db: Kysely<any>, incidentId: number, item: ChecklistItemKey, mark: 'attested' | 'waived', note: string, actor: IncidentActor, now: Date): Promise<MarkResult> {
  if (mark === 'attested' && !(MANUAL_ITEMS as readonly string[]).includes(item)) return { ok: false, error: 'NOT_A_MANUAL_ITEM' };
  return db.transaction().execute(async (trx) => {
    const idb = incidentDb(trx);
    const incident = await idb.selectFrom('incidents').select(['id', 'status']).where('id', '=', incidentId).executeTakeFirst();
    if (!incident) return { ok: false, error: 'INCIDENT_NOT_FOUND' } as const;
    if (incident.status !== 'open') return { ok: false, error: 'INCIDENT_CLOSED' } as const;
    const before = await idb.selectFrom('incident_checklist_marks').selectAll().where('incident_id', '=', incidentId).where('item', '=', item).executeTakeFirst();
    const row = { mark, note, marked_by: actor.id, marked_at: now.toISOString() };
    if (before) await idb.updateTable('incident_checklist_marks').set(row).where('incident_id', '=', incidentId).where('item', '=', item).execute();
    else await idb.insertInto('incident_checklist_marks').values({ incident_id: incidentId, item, ...row }).execute();
    await appendAuditEntry(trx, {
      actor: actor.id, action: mark === 'waived' ? 'incident.checklist_item_waived' : 'incident.checklist_item_attested', target: `incident:${incidentId}`,
      ...(actor.ip ? { ip: actor.ip } : {}), before: before ? { item, mark: before.mark, note: before.note, by: before.marked_by, at: before.marked_at } : null,
      after: { item, mark, note }, at: now,
    });
    return { ok: true } as const;
  });
}
