// One check of the way to payment: walk it, compare with the baseline, record the run. The CLI
// and the scheduled job both call this; alerting on the outcome is theirs.
import type { Kysely } from 'kysely';
import { currentBaseline, recordRun, recordTrustOnFirstUse, type Baseline } from './baseline.ts';
import { compareToBaseline, type Difference } from './compare.ts';
import type { BrowserWalkResult } from './walk-in-browser.ts';
import { walkToPayment, type WalkLevel, type WalkOptions, type WalkResult } from './walk-to-payment.ts';

/** A walk of either level: `{ level: 'browser', run: () => walkInBrowser(…) }`, or plain HTTP walk options. */
export type PaymentPageWalk = WalkOptions | { level: WalkLevel; run: () => Promise<WalkResult | BrowserWalkResult> };

/** `cookies` (HTTP level; {} from a browser walk) let the next walk reuse the same cart. */
export type CheckOutcome =
  | { outcome: 'match'; level: WalkLevel; baseline: Baseline; runId: number; cookies: Record<string, string> }
  | { outcome: 'differences'; level: WalkLevel; baseline: Baseline; differences: Difference[]; runId: number; cookies: Record<string, string> }
  /** No baseline existed: this walk became the trust-on-first-use baseline. */
  | { outcome: 'baseline-recorded'; level: WalkLevel; baseline: Baseline; runId: number; cookies: Record<string, string> }
  | { outcome: 'failed'; level: WalkLevel; error: string; step: string; detail: string; runId: number };

export async function checkPaymentPages(db: Kysely<any>, walk: PaymentPageWalk, clock: () => Date = () => new Date()): Promise<CheckOutcome> {
  const startedAt = clock();
  const level: WalkLevel = 'run' in walk ? walk.level : 'http';
  // A browser walk sees scripts an HTTP walk cannot: comparing across levels would report those as changes.
  const before = await currentBaseline(db);
  if (before && before.level !== level) {
    const detail = `the baseline (#${before.id}) was taken at level ${before.level}; approve a ${level} walk first`;
    const runId = await recordRun(db, { startedAt, finishedAt: clock(), level, outcome: 'failed', baselineId: before.id, differences: [], error: `LEVEL_MISMATCH: ${detail}` });
    return { outcome: 'failed', level, error: 'LEVEL_MISMATCH', step: 'baseline', detail, runId };
  }
  const result = 'run' in walk ? await walk.run() : await walkToPayment(walk);
  if (!result.ok) {
    const baseline = await currentBaseline(db);
    const runId = await recordRun(db, { startedAt, finishedAt: clock(), level: result.level, outcome: 'failed', baselineId: baseline?.id ?? null, differences: [], error: `${result.error} at ${result.step}: ${result.detail}` });
    return { outcome: 'failed', level: result.level, error: result.error, step: result.step, detail: result.detail, runId };
  }
  const existing = await currentBaseline(db);
  if (!existing) {
    const { baseline, recorded } = await recordTrustOnFirstUse(db, result.snapshots, result.level, startedAt);
    if (recorded) {
      const runId = await recordRun(db, { startedAt, finishedAt: clock(), level: result.level, outcome: 'baseline-recorded', baselineId: baseline.id, differences: [] });
      return { outcome: 'baseline-recorded', level: result.level, baseline, runId, cookies: 'cookies' in result ? result.cookies : {} };
    }
    return finish(db, baseline, result.snapshots, result.level, startedAt, clock, 'cookies' in result ? result.cookies : {});
  }
  return finish(db, existing, result.snapshots, result.level, startedAt, clock, 'cookies' in result ? result.cookies : {});
}

async function finish(db: Kysely<any>, baseline: Baseline, snapshots: Parameters<typeof compareToBaseline>[1], level: WalkLevel, startedAt: Date, clock: () => Date, cookies: Record<string, string>): Promise<CheckOutcome> {
  const differences = compareToBaseline(baseline.snapshots, snapshots);
  const outcome = differences.length === 0 ? 'match' : 'differences';
  const runId = await recordRun(db, { startedAt, finishedAt: clock(), level, outcome, baselineId: baseline.id, differences });
  return outcome === 'match' ? { outcome, level, baseline, runId, cookies } : { outcome, level, baseline, differences, runId, cookies };
}
