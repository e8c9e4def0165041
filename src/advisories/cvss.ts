// CVSS base scores computed from the vector string, so a record that carries only the
// vector (OSV does) still gets a number. v3.0 and v3.1 are computed here from the FIRST
// specification's formulas; a v4.0 score needs FIRST's macro-vector lookup table and is
// taken from the record when the record gives it (CVE JSON 5 does), otherwise the
// record's own severity label is used.

export type SeverityLevel = 'critical' | 'high' | 'medium' | 'low' | 'none' | 'unknown';

export const SEVERITY_RANK: Record<SeverityLevel, number> = { unknown: 0, none: 1, low: 2, medium: 3, high: 4, critical: 5 };

const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

function roundUp31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

function roundUp30(x: number): number {
  return Math.ceil(x * 10) / 10;
}

export interface Cvss3 {
  version: '3.0' | '3.1';
  vector: string;
  baseScore: number;
}

/** Parses `CVSS:3.x/AV:N/AC:L/...` and returns the base score, or null if the vector is not a valid v3 base vector. */
export function cvss3BaseScore(vector: string): Cvss3 | null {
  const parts = vector.trim().split('/');
  const head = parts.shift();
  const ver = head === 'CVSS:3.1' ? '3.1' : head === 'CVSS:3.0' ? '3.0' : null;
  if (!ver) return null;
  const m: Record<string, string> = {};
  for (const p of parts) {
    const [k, v] = p.split(':');
    if (!k || !v) return null;
    m[k] = v;
  }
  const av = W.AV[m.AV as keyof typeof W.AV];
  const ac = W.AC[m.AC as keyof typeof W.AC];
  const ui = W.UI[m.UI as keyof typeof W.UI];
  const s = m.S;
  const c = W.CIA[m.C as keyof typeof W.CIA];
  const i = W.CIA[m.I as keyof typeof W.CIA];
  const a = W.CIA[m.A as keyof typeof W.CIA];
  if (av === undefined || ac === undefined || ui === undefined || c === undefined || i === undefined || a === undefined) return null;
  if (s !== 'U' && s !== 'C') return null;
  const changed = s === 'C';
  const pr = m.PR === 'N' ? 0.85 : m.PR === 'L' ? (changed ? 0.68 : 0.62) : m.PR === 'H' ? (changed ? 0.5 : 0.27) : undefined;
  if (pr === undefined) return null;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  const roundUp = ver === '3.1' ? roundUp31 : roundUp30;
  let base = 0;
  if (impact > 0) base = changed ? roundUp(Math.min(1.08 * (impact + exploitability), 10)) : roundUp(Math.min(impact + exploitability, 10));
  return { version: ver, vector: vector.trim(), baseScore: base };
}

/** Qualitative rating of a CVSS v3/v4 score (FIRST's table). */
export function severityFromScore(score: number): SeverityLevel {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

export function normalizeSeverityLabel(label: string | undefined | null): SeverityLevel {
  const l = (label ?? '').toString().trim().toLowerCase();
  if (l === 'critical') return 'critical';
  if (l === 'high' || l === 'important') return 'high';
  if (l === 'medium' || l === 'moderate') return 'medium';
  if (l === 'low') return 'low';
  if (l === 'none') return 'none';
  return 'unknown';
}
