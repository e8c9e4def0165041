// The status page's pan-scan block: when the shop last searched itself for stored card numbers
// and what it found (masked), in Japanese and English. Kept here, with its own words, so the
// status page only places it.
import type { Locale } from '../../i18n/locale.ts';
import { formatDateTime } from '../../i18n/locale.ts';
import type { WatchResult } from '../../watch-results/watch-results.ts';

const TEXT = {
  ja: {
    title: 'カード番号の保存チェック（pan-scan）',
    never: 'まだ実行されていません。npm run mamori -- pan-scan で今すぐ実行できます。',
    clean: 'カード番号は見つかりませんでした',
    findings: (n: number) => `カード番号が ${n} 件見つかりました（マスク表示）`,
    error: '一部を確認できませんでした',
    ranAt: '最終実行',
  },
  en: {
    title: 'Stored card numbers (pan-scan)',
    never: 'Not run yet. Run it now with npm run mamori -- pan-scan.',
    clean: 'No card numbers found',
    findings: (n: number) => `${n} card number(s) found (masked)`,
    error: 'Could not check everything',
    ranAt: 'Last run',
  },
} as const;

interface Details { findingCount?: number; findings?: { masked: string; where: string }[]; errors?: string[] }

export function PanScanStatus({ result, locale, timeZone }: { result: WatchResult | undefined; locale: Locale; timeZone: string }) {
  const t = TEXT[locale];
  if (!result) return <section id="pan-scan-status"><h2>{t.title}</h2><p>{t.never}</p></section>;
  const d = (result.details ?? {}) as Details;
  const verdict = result.outcome === 'clean' ? t.clean : result.outcome === 'findings' ? t.findings(d.findingCount ?? 0) : t.error;
  return (
    <section id="pan-scan-status" data-outcome={result.outcome}>
      <h2>{t.title}</h2>
      <p><strong>{verdict}</strong> — {t.ranAt}: <time datetime={result.ran_at}>{formatDateTime(result.ran_at, locale, timeZone)}</time></p>
      {result.outcome === 'findings' && d.findings?.length ? <ul>{d.findings.slice(0, 5).map((f) => <li><code>{f.masked}</code> {f.where}</li>)}</ul> : null}
      {result.outcome === 'error' && d.errors?.length ? <ul>{d.errors.slice(0, 5).map((e) => <li>{e}</li>)}</ul> : null}
    </section>
  );
}
