// The legal clocks of an incident as the pages show them: due day, days left in the shop's time
// zone, and whether the report's task is already done (then it no longer counts down).
import type { Kysely } from 'kysely';
import type { Incident } from './incident-tables.ts';
import { listTasks, openIncidents } from './incident-service.ts';
import { daysLeft, LEGAL_CLOCKS, ppcReportDeadlines, type LegalClock } from './legal-deadlines.ts';
import { TASK_OF_CLOCK } from './incident-tasks.ts';

export interface ClockView { clock: LegalClock; dueOn: string; days: number; left: number; done: boolean }

export async function incidentClocks(db: Kysely<any>, incident: Incident, now: Date, timeZone: string): Promise<ClockView[]> {
  const deadlines = ppcReportDeadlines(new Date(incident.aware_at), incident.unauthorized_access === 1, timeZone);
  const tasks = await listTasks(db, incident.id);
  return LEGAL_CLOCKS.map((clock) => {
    const task = tasks.find((t) => t.task_key === TASK_OF_CLOCK[clock]);
    const d = deadlines[clock];
    return { clock, dueOn: d.dueOn, days: d.days, left: daysLeft(d.dueOn, now, timeZone), done: task?.status === 'done' || task?.status === 'not_applicable' };
  });
}

/** Every open incident with its clocks, for the dashboard's banner. */
export async function openIncidentsWithClocks(db: Kysely<any>, now: Date, timeZone: string): Promise<{ incident: Incident; clocks: ClockView[] }[]> {
  const out: { incident: Incident; clocks: ClockView[] }[] = [];
  for (const incident of await openIncidents(db)) out.push({ incident, clocks: await incidentClocks(db, incident, now, timeZone) });
  return out;
}
