import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { PanScanStatus } from './pan-scan-status.tsx';
import type { WatchResult } from '../../watch-results/watch-results.ts';

const result = (outcome: WatchResult['outcome'], details: unknown): WatchResult => ({ id: 1, watcher: 'pan-scan', outcome, ran_at: '2026-12-03T00:00:00.000Z', summary: '', details });

describe('the status page pan-scan block', () => {
  it('says when it never ran, and how to run it, in both languages', () => {
    expect(render(<PanScanStatus result={undefined} locale="ja" timeZone="Asia/Tokyo" />)).toContain('まだ実行されていません');
    expect(render(<PanScanStatus result={undefined} locale="en" timeZone="Asia/Tokyo" />)).toContain('npm run mamori -- pan-scan');
  });

  it('shows the last result: clean, or the masked findings and where', () => {
    expect(render(<PanScanStatus result={result('clean', {})} locale="en" timeZone="Asia/Tokyo" />)).toContain('No card numbers found');
    const html = render(<PanScanStatus result={result('findings', { findingCount: 2, findings: [{ masked: '424242******4242', where: 'orders.line2 row 1' }] })} locale="ja" timeZone="Asia/Tokyo" />);
    expect(html).toContain('カード番号が 2 件見つかりました');
    expect(html).toContain('424242******4242');
    expect(html).toContain('orders.line2 row 1');
    expect(render(<PanScanStatus result={result('error', { errors: ['database: gone'] })} locale="en" timeZone="Asia/Tokyo" />)).toContain('database: gone');
  });
});
