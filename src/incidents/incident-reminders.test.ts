// The PPC deadline reminders: the job mails every owner two days before, on the due day and once
// when overdue, never twice for the same reminder, and stops once the report's task is done.
// Time is the shop's injected clock; the job is run explicitly. Both databases.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount } from '../../test/support/admin-test-client.ts';
import { listTasks, openIncident, updateTask } from './incident-service.ts';
import { reminderStage } from './incident-reminders.ts';
import type { Incident } from './incident-tables.ts';

describe('reminder stages', () => {
  it('two days before, on the day, overdue; nothing earlier', () => {
    expect([5, 3, 2, 1, 0, -1, -30].map(reminderStage)).toEqual([null, null, 'two_days_before', 'two_days_before', 'due_today', 'overdue', 'overdue']);
  });
});

describeEachDatabase('incident deadline reminders', (database) => {
  let shop: TestShop;
  let now = new Date('2026-12-01T01:00:00Z');
  let incident: Incident;
  let ownerId: number;

  /** Reminder mails in the outbox (.eml files), newest last. */
  const reminders = (): string[] => {
    const dir = path.join(shop.dataDir, 'outbox');
    let files: string[] = [];
    try { files = readdirSync(dir).sort(); } catch { return []; }
    return files.map((f) => readFileSync(path.join(dir, f), 'utf8')).filter((m) => m.includes(incident.reference));
  };
  const runAt = async (iso: string) => {
    now = new Date(iso);
    expect(await shop.jobs.runNow('incident-deadline-reminders')).toBe('ok');
    return reminders().length;
  };

  beforeAll(async () => {
    shop = await startTestShop(database, { clock: () => now, jobPollMs: 0 });
    await shop.jobs.settled();
    const owner = await enrolledAccount(shop, 'owner@example.jp', 'owner');
    await enrolledAccount(shop, 'staff@example.jp', 'staff');
    ownerId = owner.account.id;
    // Aware at 10:00 on 1 December in Tokyo; not unauthorised access: preliminary by 6 Dec, final by 31 Dec.
    incident = await openIncident(shop.db.db, { title: '誤送信', whatWasNoticed: '注文確認メールを別のお客様に送った', awareAt: now, unauthorizedAccess: false, ownerAccountId: ownerId }, { id: `admin:${ownerId}` }, now, shop.config.timeZone);
  });
  afterAll(async () => { await shop?.dispose(); });

  it('sends each reminder once, to the owners only, and stops once the report is submitted', async () => {
    expect(await runAt('2026-12-02T03:00:00Z')).toBe(0);
    expect(await runAt('2026-12-04T03:00:00Z')).toBe(1);
    const first = reminders()[0]!;
    expect(first).toContain('owner@example.jp');
    expect(first).not.toContain('staff@example.jp');
    expect(first).toContain('2026-12-06');
    expect(await runAt('2026-12-04T09:00:00Z')).toBe(1);
    expect(await runAt('2026-12-05T03:00:00Z')).toBe(1);
    expect(await runAt('2026-12-06T03:00:00Z')).toBe(2);
    // 23:59 in Tokyo is still the due day.
    expect(await runAt('2026-12-06T14:59:00Z')).toBe(2);
    expect(await runAt('2026-12-06T15:00:00Z')).toBe(3);
    expect(await runAt('2026-12-08T03:00:00Z')).toBe(3);

    const preliminary = (await listTasks(shop.db.db, incident.id)).find((t) => t.task_key === 'ppc_preliminary_report')!;
    await updateTask(shop.db.db, incident.id, preliminary.id, { ownerAccountId: ownerId, dueOn: preliminary.due_on, status: 'done', note: '12月5日に提出' }, { id: `admin:${ownerId}` }, now);
    expect(await runAt('2026-12-28T03:00:00Z')).toBe(3);
    expect(await runAt('2026-12-29T03:00:00Z')).toBe(4);
    expect(reminders().filter((m) => m.includes('2026-12-31'))).toHaveLength(1);
    expect(await runAt('2026-12-31T03:00:00Z')).toBe(5);
    // The shop was down for a week: one overdue reminder, not the ones it missed.
    expect(await runAt('2027-01-07T03:00:00Z')).toBe(6);
    expect(await runAt('2027-01-08T03:00:00Z')).toBe(6);
    const sent = await shop.db.db.selectFrom('incident_reminders_sent' as any).select(['clock', 'stage']).orderBy('sent_at').execute();
    expect(sent.map((s: any) => `${s.clock}:${s.stage}`)).toEqual([
      'ppc_preliminary:two_days_before', 'ppc_preliminary:due_today', 'ppc_preliminary:overdue',
      'ppc_final:two_days_before', 'ppc_final:due_today', 'ppc_final:overdue',
    ]);
  });
});
