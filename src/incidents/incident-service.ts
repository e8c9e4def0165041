// Opening, changing and closing an incident. Each change is one transaction with its audit entry
// inside (as settle-order.ts does); expected refusals are values, not exceptions.
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { incidentDb, type Incident, type IncidentTask, type TaskStatus } from './incident-tables.ts';
import { addDays, localDate, ppcReportDeadlines } from './legal-deadlines.ts';
import { BREACH_PROCESS_TASKS } from './incident-tasks.ts';

export interface IncidentActor { id: string; ip?: string }

export interface OpenIncidentInput {
  title: string;
  whatWasNoticed: string;
  awareAt: Date;
  unauthorizedAccess: boolean;
  /** The admin account that owns the generated tasks at first (the one opening it). */
  ownerAccountId: number;
}

const audit = (trx: Kysely<any>, actor: IncidentActor, action: string, target: string, at: Date, detail: { before?: unknown; after?: unknown }) =>
  appendAuditEntry(trx, { actor: actor.id, action, target, ...(actor.ip ? { ip: actor.ip } : {}), ...detail, at });

/** INC-YYYY-NNNN: the year the incident was opened (shop time), numbered within it. */
async function nextReference(trx: Kysely<any>, now: Date, timeZone: string): Promise<string> {
  const year = localDate(now, timeZone).slice(0, 4);
  const prefix = `INC-${year}-`;
  const last = await incidentDb(trx).selectFrom('incidents').select('reference').where('reference', 'like', `${prefix}%`)
    .orderBy('reference', 'desc').limit(1).executeTakeFirst();
  const n = last ? Number(last.reference.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(n).padStart(4, '0')}`;
}

export async function openIncident(db: Kysely<any>, input: OpenIncidentInput, actor: IncidentActor, now: Date, timeZone: string): Promise<Incident> {
  const deadlines = ppcReportDeadlines(input.awareAt, input.unauthorizedAccess, timeZone);
  const awareDay = localDate(input.awareAt, timeZone);
  const attempt = () => db.transaction().execute(async (trx) => {
    const idb = incidentDb(trx);
    const reference = await nextReference(trx, now, timeZone);
    const incident = await idb.insertInto('incidents').values({
      reference, title: input.title, what_was_noticed: input.whatWasNoticed, aware_at: input.awareAt.toISOString(),
      unauthorized_access: input.unauthorizedAccess ? 1 : 0, opened_by: actor.id, opened_at: now.toISOString(), closed_at: null,
    }).returningAll().executeTakeFirstOrThrow();
    await idb.insertInto('incident_tasks').values(BREACH_PROCESS_TASKS.map((t, position) => ({
      incident_id: incident.id, task_key: t.key, title: null, position, owner_account_id: input.ownerAccountId,
      due_on: t.clock ? deadlines[t.clock].dueOn : t.suggestedDays !== undefined ? addDays(awareDay, t.suggestedDays) : null,
      updated_by: actor.id, updated_at: now.toISOString(),
    }))).execute();
    await audit(trx, actor, 'incident.opened', `incident:${incident.id}`, now, {
      after: { reference, title: input.title, awareAt: incident.aware_at, unauthorizedAccess: input.unauthorizedAccess,
        preliminaryDueOn: deadlines.ppc_preliminary.dueOn, finalDueOn: deadlines.ppc_final.dueOn },
    });
    return incident;
  });
  // Two owners opening at the same moment may pick the same number: the unique reference refuses
  // the second, which then takes the next one.
  try {
    return await attempt();
  } catch (err) {
    if (!/unique|duplicate/i.test(String((err as Error).message))) throw err;
    return attempt();
  }
}

export async function listIncidents(db: Kysely<any>): Promise<Incident[]> {
  return incidentDb(db).selectFrom('incidents').selectAll().orderBy('id', 'desc').limit(500).execute();
}

export async function loadIncident(db: Kysely<any>, id: number): Promise<Incident | undefined> {
  return incidentDb(db).selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function openIncidents(db: Kysely<any>): Promise<Incident[]> {
  return incidentDb(db).selectFrom('incidents').selectAll().where('status', '=', 'open').orderBy('id').execute();
}

export type IncidentChangeError = 'INCIDENT_NOT_FOUND' | 'INCIDENT_CLOSED' | 'TASK_NOT_FOUND' | 'OWNER_NOT_FOUND';
export type IncidentChange = { ok: true } | { ok: false; error: IncidentChangeError };

async function openIncidentIn(trx: Kysely<any>, incidentId: number): Promise<IncidentChange & { incident?: Incident }> {
  const incident = await loadIncident(trx, incidentId);
  if (!incident) return { ok: false, error: 'INCIDENT_NOT_FOUND' };
  if (incident.status !== 'open') return { ok: false, error: 'INCIDENT_CLOSED' };
  return { ok: true, incident };
}

export async function addTimelineEntry(db: Kysely<any>, incidentId: number, entry: { occurredAt: Date; text: string }, actor: IncidentActor, now: Date): Promise<IncidentChange> {
  return db.transaction().execute(async (trx) => {
    const found = await openIncidentIn(trx, incidentId);
    if (!found.ok) return found;
    const row = await incidentDb(trx).insertInto('incident_timeline_entries').values({
      incident_id: incidentId, occurred_at: entry.occurredAt.toISOString(), entry: entry.text, added_by: actor.id, added_at: now.toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, actor, 'incident.timeline_entry_added', `incident:${incidentId}`, now, { after: { entryId: row.id, occurredAt: entry.occurredAt.toISOString(), text: entry.text } });
    return { ok: true } as const;
  });
}

export async function listTasks(db: Kysely<any>, incidentId: number): Promise<IncidentTask[]> {
  return incidentDb(db).selectFrom('incident_tasks').selectAll().where('incident_id', '=', incidentId).orderBy('position').execute();
}

export interface TaskChange { ownerAccountId: number | null; dueOn: string | null; status: TaskStatus; note: string }

export async function updateTask(db: Kysely<any>, incidentId: number, taskId: number, change: TaskChange, actor: IncidentActor, now: Date): Promise<IncidentChange> {
  return db.transaction().execute(async (trx) => {
    const found = await openIncidentIn(trx, incidentId);
    if (!found.ok) return found;
    const idb = incidentDb(trx);
    const task = await idb.selectFrom('incident_tasks').selectAll().where('id', '=', taskId).where('incident_id', '=', incidentId).executeTakeFirst();
    if (!task) return { ok: false, error: 'TASK_NOT_FOUND' } as const;
    if (change.ownerAccountId !== null) {
      const owner = await trx.selectFrom('admin_accounts' as any).select('id').where('id', '=', change.ownerAccountId).executeTakeFirst();
      if (!owner) return { ok: false, error: 'OWNER_NOT_FOUND' } as const;
    }
    await idb.updateTable('incident_tasks').set({
      owner_account_id: change.ownerAccountId, due_on: change.dueOn, status: change.status, note: change.note, updated_by: actor.id, updated_at: now.toISOString(),
    }).where('id', '=', taskId).execute();
    await audit(trx, actor, 'incident.task_updated', `incident:${incidentId}`, now, {
      before: { taskId, key: task.task_key, ownerAccountId: task.owner_account_id, dueOn: task.due_on, status: task.status, note: task.note },
      after: { taskId, key: task.task_key, ...change },
    });
    return { ok: true } as const;
  });
}

/** A task of the merchant's own, after the generated ones. */
export async function addTask(db: Kysely<any>, incidentId: number, task: { title: string; ownerAccountId: number | null; dueOn: string | null }, actor: IncidentActor, now: Date): Promise<IncidentChange> {
  return db.transaction().execute(async (trx) => {
    const found = await openIncidentIn(trx, incidentId);
    if (!found.ok) return found;
    if (task.ownerAccountId !== null) {
      const owner = await trx.selectFrom('admin_accounts' as any).select('id').where('id', '=', task.ownerAccountId).executeTakeFirst();
      if (!owner) return { ok: false, error: 'OWNER_NOT_FOUND' } as const;
    }
    const idb = incidentDb(trx);
    const last = await idb.selectFrom('incident_tasks').select('position').where('incident_id', '=', incidentId).orderBy('position', 'desc').limit(1).executeTakeFirst();
    const position = (last?.position ?? -1) + 1;
    const row = await idb.insertInto('incident_tasks').values({
      incident_id: incidentId, task_key: `custom_${position}`, title: task.title, position, owner_account_id: task.ownerAccountId, due_on: task.dueOn,
      updated_by: actor.id, updated_at: now.toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, actor, 'incident.task_added', `incident:${incidentId}`, now, { after: { taskId: row.id, ...task } });
    return { ok: true } as const;
  });
}

export type CloseResult = IncidentChange | { ok: false; error: 'CHECKLIST_INCOMPLETE'; openItems: string[] };

/**
 * Closes an incident once its resumption checklist is complete (every item green or waived):
 * a closed incident no longer blocks resuming, so closing must not be a way around the checklist.
 */
export async function closeIncident(db: Kysely<any>, incidentId: number, note: string, actor: IncidentActor, now: Date, openChecklistItems: (incident: Incident) => Promise<string[]>): Promise<CloseResult> {
  const incident = await loadIncident(db, incidentId);
  if (!incident) return { ok: false, error: 'INCIDENT_NOT_FOUND' };
  if (incident.status !== 'open') return { ok: false, error: 'INCIDENT_CLOSED' };
  const openItems = await openChecklistItems(incident);
  if (openItems.length > 0) return { ok: false, error: 'CHECKLIST_INCOMPLETE', openItems };
  return db.transaction().execute(async (trx) => {
    const updated = await incidentDb(trx).updateTable('incidents').set({ status: 'closed', closed_at: now.toISOString() })
      .where('id', '=', incidentId).where('status', '=', 'open').returning('id').executeTakeFirst();
    if (!updated) return { ok: false, error: 'INCIDENT_CLOSED' } as const;
    await audit(trx, actor, 'incident.closed', `incident:${incidentId}`, now, { before: { status: 'open' }, after: { status: 'closed', note } });
    return { ok: true } as const;
  });
}
