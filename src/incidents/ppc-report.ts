// The draft of the report to the Personal Information Protection Commission (漏えい等報告), in
// Japanese, with the items 個人情報の保護に関する法律施行規則第8条第1項 requires. Pre-filled from the
// incident, its tasks and the scope counts; every save is a new version (and an audit entry), so
// what was reported when can be shown later.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import { incidentDb, type Incident, type IncidentTask } from './incident-tables.ts';
import type { IncidentActor } from './incident-service.ts';
import { localDate, ppcReportDeadlines } from './legal-deadlines.ts';
import { DATA_ITEM_NAMES_JA, type ScopeCounts } from './scope-counts.ts';

/** 施行規則第8条第1項 各号, in order, with the headings the report prints. */
export const PPC_REPORT_ITEMS = [
  { key: 'overview', heading: '概要', article: '第1号' },
  { key: 'dataItems', heading: '漏えい等が発生し又は発生したおそれがある個人データの項目', article: '第2号' },
  { key: 'persons', heading: '漏えい等が発生し又は発生したおそれがある個人データに係る本人の数', article: '第3号' },
  { key: 'cause', heading: '原因', article: '第4号' },
  { key: 'secondaryDamage', heading: '二次被害又はそのおそれの有無及びその内容', article: '第5号' },
  { key: 'responseToPersons', heading: '本人への対応の実施状況', article: '第6号' },
  { key: 'publicAnnouncement', heading: '公表の実施状況', article: '第7号' },
  { key: 'recurrencePrevention', heading: '再発防止のための措置', article: '第8号' },
  { key: 'otherMatters', heading: 'その他参考となる事項', article: '第9号' },
] as const;
export type PpcReportItemKey = (typeof PPC_REPORT_ITEMS)[number]['key'];

export const REPORT_TYPES = ['preliminary', 'final'] as const;
export const REPORT_TYPE_JA = { preliminary: '速報', final: '確報' } as const;

const field = textWithoutCardNumber(z.string().trim().max(10_000));
export const PpcReportFieldsSchema = z.object({
  reportType: z.enum(REPORT_TYPES),
  reporter: textWithoutCardNumber(z.string().trim().min(1).max(300)),
  overview: field, dataItems: field, persons: field, cause: field, secondaryDamage: field,
  responseToPersons: field, publicAnnouncement: field, recurrencePrevention: field, otherMatters: field,
});
export type PpcReportFields = z.output<typeof PpcReportFieldsSchema>;

export interface PpcReportDraft {
  fields: PpcReportFields;
  /** 0: not saved yet (pre-filled). */
  version: number;
  savedBy: string | null;
  savedAt: string | null;
}

const UNDER_INVESTIGATION = '（調査中）';
const taskDone = (tasks: IncidentTask[], key: string) => tasks.find((t) => t.task_key === key)?.status === 'done';

/** What the software already knows, in the report's words; the merchant edits the rest. */
export function prefillPpcReport(incident: Incident, tasks: IncidentTask[], scope: ScopeCounts | null, ctx: { shopName: string; timeZone: string }): PpcReportFields {
  const aware = new Date(incident.aware_at);
  const unauthorized = incident.unauthorized_access === 1;
  const deadlines = ppcReportDeadlines(aware, unauthorized, ctx.timeZone);
  const overview = [
    `発覚日: ${localDate(aware, ctx.timeZone)}（${ctx.timeZone}）`,
    `事案: ${incident.title}`,
    `発覚の経緯: ${incident.what_was_noticed}`,
    unauthorized ? '不正アクセスによる漏えい又はそのおそれがある事態（施行規則第7条第3号）。' : '',
  ].filter(Boolean).join('\n');
  return {
    reportType: taskDone(tasks, 'ppc_preliminary_report') ? 'final' : 'preliminary',
    reporter: ctx.shopName,
    overview,
    dataItems: scope && scope.dataItems.length > 0 ? scope.dataItems.map((d) => DATA_ITEM_NAMES_JA[d] ?? d).join('、') : UNDER_INVESTIGATION,
    persons: scope ? `${scope.persons.toLocaleString('ja-JP')}人（注文${scope.orders.toLocaleString('ja-JP')}件。${scope.criteria}、${localDate(new Date(scope.computedAt), ctx.timeZone)}時点）` : UNDER_INVESTIGATION,
    cause: unauthorized ? `第三者による不正アクセス（詳細は調査中）${UNDER_INVESTIGATION}` : UNDER_INVESTIGATION,
    secondaryDamage: UNDER_INVESTIGATION,
    responseToPersons: taskDone(tasks, 'notify_customers') ? '対象となる本人へ通知済み。問い合わせ窓口を設置。' : '対象となる本人への通知を準備中。',
    publicAnnouncement: taskDone(tasks, 'publish_notice') ? 'ウェブサイトにて「お詫びとお知らせ」を公表済み。' : '公表を準備中。',
    recurrencePrevention: '（検討中）',
    otherMatters: [
      `インシデント番号: ${incident.reference}`,
      `速報の期限: ${deadlines.ppc_preliminary.dueOn}（速やかに（目安3〜5日））、確報の期限: ${deadlines.ppc_final.dueOn}（${deadlines.ppc_final.days}日以内）`,
      `カード会社への連絡: ${taskDone(tasks, 'card_monitoring') ? '済み' : '対応中'}`,
      `警察への相談: ${taskDone(tasks, 'police_consultation') ? '済み' : '対応中'}`,
      `フォレンジック調査: ${taskDone(tasks, 'forensic_investigation') ? '依頼済み' : '対応中'}`,
    ].join('\n'),
  };
}

export async function latestPpcReport(db: Kysely<any>, incidentId: number): Promise<PpcReportDraft | null> {
  const row = await incidentDb(db).selectFrom('incident_ppc_reports').selectAll().where('incident_id', '=', incidentId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!row) return null;
  const parsed = PpcReportFieldsSchema.safeParse(JSON.parse(row.fields_json));
  if (!parsed.success) throw new Error(`incident ${incidentId}: stored PPC report version ${row.version} does not parse`);
  return { fields: parsed.data, version: row.version, savedBy: row.saved_by, savedAt: row.saved_at };
}

export async function ppcReportVersions(db: Kysely<any>, incidentId: number): Promise<{ version: number; savedBy: string; savedAt: string }[]> {
  const rows = await incidentDb(db).selectFrom('incident_ppc_reports').select(['version', 'saved_by', 'saved_at']).where('incident_id', '=', incidentId).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ version: r.version, savedBy: r.saved_by, savedAt: r.saved_at }));
}

export async function savePpcReport(db: Kysely<any>, incidentId: number, fields: PpcReportFields, actor: IncidentActor, now: Date): Promise<{ ok: true; version: number } | { ok: false; error: 'INCIDENT_NOT_FOUND' }> {
  return db.transaction().execute(async (trx) => {
    const idb = incidentDb(trx);
    const incident = await idb.selectFrom('incidents').select('id').where('id', '=', incidentId).executeTakeFirst();
    if (!incident) return { ok: false, error: 'INCIDENT_NOT_FOUND' } as const;
    const last = await idb.selectFrom('incident_ppc_reports').select('version').where('incident_id', '=', incidentId).orderBy('version', 'desc').limit(1).executeTakeFirst();
    const version = (last?.version ?? 0) + 1;
    await idb.insertInto('incident_ppc_reports').values({ incident_id: incidentId, version, fields_json: JSON.stringify(fields), saved_by: actor.id, saved_at: now.toISOString() }).execute();
    await appendAuditEntry(trx, { actor: actor.id, action: 'incident.ppc_report_saved', target: `incident:${incidentId}`, ...(actor.ip ? { ip: actor.ip } : {}), after: { version, fields }, at: now });
    return { ok: true, version } as const;
  });
}
