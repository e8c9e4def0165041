// The PPC report draft as a standalone HTML document (download, and the page printed to PDF):
// no scripts, no external resources, a Japanese font named so Chromium's print finds IPA Gothic.
import { renderToString } from 'preact-render-to-string';
import type { Incident } from './incident-tables.ts';
import { PPC_REPORT_ITEMS, REPORT_TYPE_JA, type PpcReportFields } from './ppc-report.ts';
import { LEGAL_SOURCE_JA, localDate } from './legal-deadlines.ts';

const STYLE = `
  @page { size: A4; margin: 18mm 16mm; }
  body { font-family: "IPAGothic", "IPAゴシック", "IPAPGothic", "Noto Sans CJK JP", sans-serif; font-size: 10.5pt; line-height: 1.6; color: #000; }
  h1 { font-size: 15pt; text-align: center; margin: 0 0 4mm; }
  .meta { width: 100%; border-collapse: collapse; margin-bottom: 5mm; }
  .meta th, .meta td, .items th, .items td { border: 1px solid #444; padding: 2mm 3mm; vertical-align: top; text-align: left; }
  .items { width: 100%; border-collapse: collapse; }
  .items th { width: 32%; background: #f2f2f2; font-weight: bold; }
  .items td { white-space: pre-wrap; }
  .article { display: block; font-weight: normal; font-size: 8.5pt; color: #333; }
  .note { font-size: 8.5pt; color: #333; margin-top: 4mm; }
`;

export interface PpcReportDocumentInput {
  incident: Incident;
  fields: PpcReportFields;
  version: number;
  savedAt: string | null;
  timeZone: string;
  now: Date;
}

function PpcReportDocument({ incident, fields, version, savedAt, timeZone, now }: PpcReportDocumentInput) {
  return (
    <html lang="ja">
      <head>
        <meta charset="utf-8" />
        <title>{`個人情報の漏えい等報告（${REPORT_TYPE_JA[fields.reportType]}）${incident.reference}`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <h1>{`個人情報の漏えい等報告書（${REPORT_TYPE_JA[fields.reportType]}）【下書き】`}</h1>
        <table class="meta">
          <tbody>
            <tr><th scope="row">報告者（個人情報取扱事業者）</th><td>{fields.reporter}</td></tr>
            <tr><th scope="row">報告の種類</th><td>{REPORT_TYPE_JA[fields.reportType]}</td></tr>
            <tr><th scope="row">インシデント番号</th><td>{incident.reference}</td></tr>
            <tr><th scope="row">作成日</th><td>{`${localDate(now, timeZone)}（版 ${version === 0 ? '未保存' : version}${savedAt ? `、保存 ${savedAt}` : ''}）`}</td></tr>
          </tbody>
        </table>
        <table class="items">
          <tbody>
            {PPC_REPORT_ITEMS.map((item) => (
              <tr data-item={item.key}>
                <th scope="row">{item.heading}<span class="article">{`施行規則第8条第1項${item.article}`}</span></th>
                <td>{fields[item.key]}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="note">{`根拠: ${LEGAL_SOURCE_JA}。本書は Mamori が作成した下書きです。提出は個人情報保護委員会の報告フォームから行ってください。`}</p>
      </body>
    </html>
  );
}

export function renderPpcReportHtml(input: PpcReportDocumentInput): string {
  return `<!doctype html>${renderToString(<PpcReportDocument {...input} />)}`;
}
