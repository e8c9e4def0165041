// The report's charts as SVG rendered on the server (Vega-Lite compiled to Vega, Vega's headless
// SVG renderer): no client script, so the report stays readable under a strict CSP and in the PDF.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ReportMessages } from './report-messages.ts';
import type { SectionData } from './report-schema.ts';

// Named so Chromium's print picks the installed IPA font for Japanese axis titles.
const FONT = 'IPAGothic, IPAPGothic, "Noto Sans CJK JP", sans-serif';
const SEVERITY_COLOURS = { critical: '#7f0000', high: '#d7301f', medium: '#fc8d59', low: '#fdcc8a' };

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { font: FONT, background: 'white', view: { stroke: null }, axis: { labelFontSize: 10, titleFontSize: 11 }, legend: { labelFontSize: 10, titleFontSize: 11 } } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function scanFindingsChart(trend: SectionData<'external-scans'>['trend'], m: ReportMessages): Promise<string> {
  return toSvg({
    width: 480, height: 160, title: m.scans.chart,
    data: { values: trend },
    mark: { type: 'bar', color: '#3b6ea5' },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: m.scans.month, axis: { labelAngle: -45 } },
      y: { field: 'findings', type: 'quantitative', title: m.scans.count, axis: { tickMinStep: 1 } },
    },
  });
}

export async function advisoriesByAgeChart(buckets: SectionData<'vulnerabilities'>['ageBuckets'], m: ReportMessages): Promise<string> {
  const order = ['critical', 'high', 'medium', 'low'];
  return toSvg({
    width: 420, height: 160, title: m.vulns.chart,
    data: { values: buckets.map((b) => ({ ...b, label: m.vulns.severities[b.severity] ?? b.severity, rank: order.indexOf(b.severity) })) },
    mark: 'bar',
    encoding: {
      x: { field: 'bucket', type: 'ordinal', title: `${m.vulns.age}`, sort: ['0-7', '8-30', '31-90', '91-180', '>180'] },
      y: { field: 'count', type: 'quantitative', title: m.scans.count, axis: { tickMinStep: 1 } },
      color: {
        field: 'label', type: 'nominal', title: m.vulns.severity,
        scale: { domain: order.map((s) => m.vulns.severities[s] ?? s), range: order.map((s) => SEVERITY_COLOURS[s as keyof typeof SEVERITY_COLOURS]) },
      },
      order: { field: 'rank', type: 'quantitative' },
    },
  });
}

export async function loginFailuresChart(days: SectionData<'access'>['failuresPerDay'], m: ReportMessages): Promise<string> {
  return toSvg({
    width: 520, height: 140, title: m.access.chart,
    data: { values: days.map((d) => ({ day: d.date.slice(8), failures: d.failures })) },
    mark: { type: 'bar', color: '#a63603' },
    encoding: {
      x: { field: 'day', type: 'ordinal', title: m.access.date, axis: { labelAngle: 0 } },
      y: { field: 'failures', type: 'quantitative', title: m.access.failures, axis: { tickMinStep: 1 } },
    },
  });
}
