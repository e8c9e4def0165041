// Whether an open incident forbids lifting a stop: resuming (back office or `mamori shop resume`)
// asks this first. The incident record (issue 13) fills it in; until an incident exists, nothing blocks.
import type { Kysely } from 'kysely';

export interface ResumeBlocker {
  incidentId: number;
  /** What the owner sees: the incident's reference (e.g. INC-2026-0001). */
  reference: string;
  /** The resumption checklist's items that are neither green nor waived, in the owner's words. */
  openItems: string[];
}

export async function incidentBlockingResume(_db: Kysely<any>): Promise<ResumeBlocker | null> {
  return null;
}
