// The resumption checklist's automatic items read the watchers' own records, and only runs after
// the merchant became aware count: a passing scan from before the breach is "not run", a page-watch
// match against a baseline nobody approved is red, a closed incident blocks nothing. Both databases.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { approveBaseline, recordRun, recordTrustOnFirstUse } from '../page-watch/baseline.ts';
import { recordWatchResult } from '../watch-results/watch-results.ts';
import { closeIncident, openIncident } from './incident-service.ts';
import { evaluateChecklist, markChecklistItem } from './resumption-checklist.ts';
import { incidentBlockingResume } from './resumption-gate.ts';
import type { Incident } from './incident-tables.ts';

describeEachDatabase('resumption checklist', (database) => {
  let t: MigratedTestDatabase;
  let incident: Incident;
  const aware = new Date('2026-12-01T01:00:00Z');
  const after = (minutes: number) => new Date(aware.getTime() + minutes * 60_000);
  const state = async (key: string) => (await evaluateChecklist(t.db, incident)).find((i) => i.key === key)!.state;
  const scan = (verdict: 'pass' | 'fail', at: Date) => t.db.insertInto('scan_runs').values({
    target_url: 'https://shop.example.jp', verdict, error_code: null, triggered_by: 'manual', app_version: null, started_at: at.toISOString(),
    duration_ms: 1000, finding_count: 0, failing_count: verdict === 'fail' ? 1 : 0, report_json: '{}',
  }).execute();

  beforeAll(async () => {
    t = await openMigratedDatabase(database);
    incident = await openIncident(t.db, { title: 't', whatWasNoticed: 'n', awareAt: aware, unauthorizedAccess: true, ownerAccountId: 1 }, { id: 'admin:1' }, aware, 'Asia/Tokyo');
  });
  afterAll(async () => { await t?.dispose(); });

  it('external scan: a pass from before the incident is not run; a later failure is red; a later pass is green', async () => {
    expect(await state('external_scan')).toBe('not_run');
    await scan('pass', new Date(aware.getTime() - 86_400_000));
    expect(await state('external_scan')).toBe('not_run');
    await scan('fail', after(10));
    expect(await state('external_scan')).toBe('red');
    await scan('pass', after(20));
    expect(await state('external_scan')).toBe('green');
  });

  it('page watch: green only for a match against the approved baseline in force', async () => {
    expect(await state('page_watch')).toBe('not_run');
    const tofu = await recordTrustOnFirstUse(t.db, [], 'http', after(1));
    await recordRun(t.db, { startedAt: after(2), finishedAt: after(2), level: 'http', outcome: 'match', baselineId: tofu.baseline.id, differences: [] });
    expect(await state('page_watch')).toBe('red');
    const approved = await approveBaseline(t.db, [], 'admin:1', { now: after(3) });
    await recordRun(t.db, { startedAt: after(4), finishedAt: after(4), level: 'http', outcome: 'differences', baselineId: approved.id, differences: [] });
    expect(await state('page_watch')).toBe('red');
    await recordRun(t.db, { startedAt: after(5), finishedAt: after(5), level: 'http', outcome: 'match', baselineId: approved.id, differences: [] });
    expect(await state('page_watch')).toBe('green');
  });

  it('pan-scan: absent is not run, an error is red (never green by default)', async () => {
    expect(await state('pan_scan')).toBe('not_run');
    await recordWatchResult(t.db, { watcher: 'pan-scan', outcome: 'error', summary: 'could not read the database', at: after(6) });
    expect(await state('pan_scan')).toBe('red');
  });

  it('a waiver turns any open item done; the gate lifts only when all are; a closed incident blocks nothing', async () => {
    expect((await incidentBlockingResume(t.db))?.reference).toBe(incident.reference);
    for (const key of ['file_integrity', 'pan_scan', 'deploy_gate', 'forensic_report', 'card_brands_consent', 'committee_approval'] as const) {
      expect(await markChecklistItem(t.db, incident.id, key, 'waived', `reason for ${key}`, { id: 'admin:1' }, after(30))).toEqual({ ok: true });
    }
    expect(await state('pan_scan')).toBe('waived');
    expect(await incidentBlockingResume(t.db)).toBeNull();
    expect(await closeIncident(t.db, incident.id, 'resolved', { id: 'admin:1' }, after(40), async () => [])).toEqual({ ok: true });
    // A second incident opened later blocks again until its own checklist is done.
    const second = await openIncident(t.db, { title: 't2', whatWasNoticed: 'n2', awareAt: after(50), unauthorizedAccess: false, ownerAccountId: 1 }, { id: 'admin:1' }, after(50), 'Asia/Tokyo');
    expect((await incidentBlockingResume(t.db))?.incidentId).toBe(second.id);
    expect(second.reference).toMatch(/^INC-2026-0002$/);
  });
});
