// The map file: it validates, every item names its source, every automated check is used, the
// requirements the brief lists are all there; the published export schema matches its Zod
// definition; and the ComplianceSource seam counts what it shows, on a fresh shop of each engine.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { loadConfig } from '../config/config.ts';
import { DEFAULT_VELOCITY_LIMITS } from '../payments/card-testing-guard.ts';
import { CHECK_IDS, COMPLIANCE_MAP, ComplianceMapSchema } from './compliance-map.ts';
import { complianceExport, complianceExportJsonSchema, ComplianceExportSchema } from './compliance-export.ts';
import { complianceSource, evaluateCompliance } from './evaluate-compliance.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

describe('the compliance map file', () => {
  it('validates against its schema, and every item carries its source', () => {
    expect(ComplianceMapSchema.safeParse(COMPLIANCE_MAP).success).toBe(true);
    for (const item of COMPLIANCE_MAP) {
      expect(item.source.document.length, item.id).toBeGreaterThan(0);
      expect(item.source.version.length, item.id).toBeGreaterThan(0);
      expect(item.source.section.length, item.id).toBeGreaterThan(0);
      // A number that could not be checked says so.
      if (!item.source.verified) expect(item.source.note, item.id).toBeTruthy();
      if (item.check === 'manual') expect(item.attestationValidDays, item.id).toBeGreaterThan(0);
    }
  });

  it('refuses a duplicate id and a manual item without a validity period', () => {
    const one = COMPLIANCE_MAP[0]!;
    expect(ComplianceMapSchema.safeParse([one, one]).success).toBe(false);
    const manual = COMPLIANCE_MAP.find((i) => i.check === 'manual')!;
    const { attestationValidDays: _d, ...withoutDays } = manual;
    expect(ComplianceMapSchema.safeParse([withoutDays]).success).toBe(false);
    expect(ComplianceMapSchema.safeParse([{ ...one, check: 'no-such-check' }]).success).toBe(false);
  });

  it('uses every automated check and covers the SAQ A requirements and the guideline\'s five EC measures', () => {
    const used = new Set(COMPLIANCE_MAP.map((i) => i.check));
    for (const id of CHECK_IDS) expect(used.has(id), id).toBe(true);
    const pci = COMPLIANCE_MAP.filter((i) => i.framework === 'pci-dss-v4.0.1-saq-a').map((i) => i.reference);
    for (const ref of ['2.2.2', '3.1.1', '3.2.1', '6.3.1', '6.3.3', '6.4.3', '8.2.1', '8.2.2', '8.2.5', '8.3.1', '8.3.5', '8.3.6', '8.3.7', '8.3.9', '9.4.6', '11.3.2', '11.3.2.1', '11.6.1', '12.8.1', '12.8.2', '12.8.3', '12.8.4', '12.8.5', '12.10.1']) {
      expect(pci, ref).toContain(ref);
    }
    const jp = COMPLIANCE_MAP.filter((i) => i.framework === 'jp-credit-card-security-guidelines-v6.0').map((i) => i.reference);
    for (const mark of ['①', '②', '③', '④', '⑤']) expect(jp.some((r) => r.startsWith(mark)), mark).toBe(true);
  });

  it('the committed export JSON Schema matches the Zod definition', () => {
    const committed = JSON.parse(readFileSync(path.join(HERE, 'compliance-export.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(complianceExportJsonSchema())));
  });
});

for (const database of DATABASES) {
  describe(`the compliance source on ${database.name}`, () => {
    let m: MigratedTestDatabase;
    beforeAll(async () => { m = await openMigratedDatabase(database); });
    afterAll(async () => m?.dispose());

    it('on a fresh shop nothing recorded shows as passing, and the counts add up', async () => {
      const loaded = loadConfig({ DATA_DIR: m.dataDir, DATABASE_URL: m.url, LOG_LEVEL: 'silent' });
      if (!loaded.ok) throw new Error(loaded.errors.join('; '));
      const ctx = { db: m.db, config: loaded.config, velocityLimits: DEFAULT_VELOCITY_LIMITS };
      const at = new Date('2026-12-01T00:00:00Z');
      const summary = await complianceSource(ctx).evaluate(at);
      expect(summary.items).toHaveLength(COMPLIANCE_MAP.length);
      const c = summary.counts;
      expect(c.automated + c.manual).toBe(COMPLIANCE_MAP.length);
      expect(c.passing + c.failing + c.notCollected).toBe(COMPLIANCE_MAP.length);
      const byId = new Map(summary.items.map((i) => [i.id, i]));
      // Checks that read recorded history have none yet: not collected, never green.
      for (const id of ['pci-11.3.2', 'pci-6.3.1', 'pci-6.3.3', 'pci-11.6.1', 'pci-6.4.3', 'jp-antivirus', 'jp-non-retention']) {
        expect(byId.get(id)?.status, id).not.toBe('pass');
      }
      expect(byId.get('pci-11.3.2')?.status).toBe('not-collected');
      expect(byId.get('pci-12.10.1')?.status).toBe('attestation-missing');
      expect(summary.items.every((i) => i.evidenceHref?.startsWith('/admin/'))).toBe(true);

      const full = await evaluateCompliance(ctx, at);
      const exported = complianceExport(full, 'テスト店', (a) => a);
      expect(ComplianceExportSchema.safeParse(JSON.parse(JSON.stringify(exported))).success).toBe(true);
      expect(exported.counts.automated).toBe(c.automated);
    });
  });
}
