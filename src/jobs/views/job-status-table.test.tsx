import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import type { JobStatus } from '../job-runs.ts';
import { JobStatusTable } from './job-status-table.tsx';

const jobs: JobStatus[] = [
  {
    name: 'expire-and-reconcile-payments', schedule: 'every 1 min', nextRunAt: '2026-12-01T00:02:00.000Z',
    lastRun: { startedAt: '2026-12-01T00:01:00.000Z', finishedAt: '2026-12-01T00:01:01.000Z', outcome: 'ok', error: null },
    lastError: { at: '2026-11-30T23:59:00.000Z', outcome: 'failed', error: 'gateway <unreachable>' },
  },
  { name: 'expire-abandoned-carts', schedule: 'cron 45 3 * * *', nextRunAt: '2026-12-01T18:45:00.000Z', lastRun: null, lastError: null },
];

describe('job status table', () => {
  it('lists every job with schedule, last run, outcome, next run and last error, in Japanese', () => {
    const html = renderToString(<JobStatusTable jobs={jobs} locale="ja" timeZone="Asia/Tokyo" />);
    expect(html).toContain('<caption>バックグラウンドジョブ</caption>');
    for (const label of ['ジョブ', 'スケジュール', '前回の実行', '結果', '次回の実行', '直近のエラー']) expect(html).toContain(`<th scope="col">${label}</th>`);
    expect(html).toContain('<tr data-job="expire-and-reconcile-payments" data-outcome="ok">');
    expect(html).toContain('<time datetime="2026-12-01T00:02:00.000Z">2026年12月1日 9:02</time>'); // shown in Tokyo time
    expect(html).toContain('成功');
    expect(html).toContain('失敗: gateway &lt;unreachable>'); // escaped
    expect(html).not.toContain('<unreachable');
    expect(html).toContain('<tr data-job="expire-abandoned-carts" data-outcome="never">');
    expect(html).toContain('未実行');
  });

  it('speaks English, and says when there are no jobs', () => {
    const html = renderToString(<JobStatusTable jobs={jobs} locale="en" timeZone="Asia/Tokyo" />);
    expect(html).toContain('<caption>Background jobs</caption>');
    expect(html).toContain('Failed: gateway &lt;unreachable>');
    expect(html).toContain('Never');
    expect(renderToString(<JobStatusTable jobs={[]} locale="en" timeZone="Asia/Tokyo" />)).toBe('<p>No jobs registered yet</p>');
  });
});
