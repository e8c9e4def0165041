// Whether an open incident forbids lifting a stop: resuming (back office or `mamori shop resume`)
// asks this first. An open incident blocks while any item of its resumption checklist
// (resumption-checklist.ts) is neither green nor waived; closing an incident needs the same.
import type { Kysely } from 'kysely';
import { openIncidents } from './incident-service.ts';
import { CHECKLIST_LABELS, openChecklistItems, type ChecklistItemKey } from './resumption-checklist.ts';

export interface ResumeBlocker {
  incidentId: number;
  /** What the owner sees: the incident's reference (e.g. INC-2026-0001). */
  reference: string;
  /** The resumption checklist's items that are neither green nor waived, in the owner's words. */
  openItems: string[];
  /** The same items by key (resumption-checklist.ts CHECKLIST_ITEMS). */
  openItemKeys?: ChecklistItemKey[];
}

export async function incidentBlockingResume(db: Kysely<any>): Promise<ResumeBlocker | null> {
  for (const incident of await openIncidents(db)) {
    const keys = await openChecklistItems(db, incident);
    if (keys.length > 0) {
      return { incidentId: incident.id, reference: incident.reference, openItems: keys.map((k) => `${CHECKLIST_LABELS[k].ja} / ${CHECKLIST_LABELS[k].en}`), openItemKeys: keys };
    }
  }
  return null;
}
