// Attestations as a service, on both databases: an evidence file with a card number is refused
// (nothing written: no file, no row, no audit entry — so this suite's databases are card fixtures),
// the expiry bounds, "as of" semantics for the monthly report (an attestation withdrawn later still
// counts for an earlier month), and withdrawing once only.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { attest, attestationsAsOf, complianceEvidenceDir, withdrawAttestation } from './compliance-attestations.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-11-01T00:00:00Z');
const actor = { id: 'admin:1', ip: '127.0.0.1' };
const cardFixture = (database: TestDatabase): TestDatabase => ({ name: database.name, create: () => database.create({ cardFixture: true }) });
const auditCount = async (db: MigratedTestDatabase['db'], action: string) => (await db.selectFrom('audit_log').select('id').where('action', '=', action).execute()).length;

for (const database of DATABASES) {
  describe(`compliance attestations on ${database.name}`, () => {
    let m: MigratedTestDatabase;
    beforeAll(async () => { m = await openMigratedDatabase(cardFixture(database)); });
    afterAll(async () => m?.dispose());

    it('refuses evidence holding a card number, an empty file, automated items and expiries out of bounds; records nothing', async () => {
      // A Luhn-valid test number (Visa's documented test card), inside a report.
      const withCard = Buffer.from('Forensic report\ncard seen in log: 4111 1111 1111 1111\n');
      const r = await attest(m.db, m.dataDir, { itemId: 'pci-12.10.1', expiresAt: new Date(T0.getTime() + 30 * DAY), note: 'plan', file: { bytes: withCard, fileName: 'report.txt', mediaType: 'text/plain' } }, actor, T0);
      expect(r).toEqual({ ok: false, error: 'CARD_NUMBER_IN_EVIDENCE' });
      expect((await attest(m.db, m.dataDir, { itemId: 'pci-12.10.1', expiresAt: new Date(T0.getTime() + DAY), note: 'x', file: { bytes: Buffer.alloc(0), fileName: 'e.txt', mediaType: 'text/plain' } }, actor, T0))).toEqual({ ok: false, error: 'EVIDENCE_EMPTY' });
      expect((await attest(m.db, m.dataDir, { itemId: 'pci-11.3.2', expiresAt: new Date(T0.getTime() + DAY), note: 'x' }, actor, T0))).toEqual({ ok: false, error: 'ITEM_NOT_MANUAL' });
      expect((await attest(m.db, m.dataDir, { itemId: 'no-such-item', expiresAt: new Date(T0.getTime() + DAY), note: 'x' }, actor, T0))).toEqual({ ok: false, error: 'ITEM_NOT_FOUND' });
      expect((await attest(m.db, m.dataDir, { itemId: 'pci-12.10.1', expiresAt: T0, note: 'x' }, actor, T0))).toEqual({ ok: false, error: 'EXPIRY_NOT_IN_FUTURE' });
      expect((await attest(m.db, m.dataDir, { itemId: 'pci-12.10.1', expiresAt: new Date(T0.getTime() + 400 * DAY), note: 'x' }, actor, T0))).toEqual({ ok: false, error: 'EXPIRY_TOO_FAR', maxDays: 365 });
      expect(await m.db.selectFrom('compliance_attestations').select('id').execute()).toEqual([]);
      expect(await auditCount(m.db, 'compliance.attested')).toBe(0);
      let files: string[] = [];
      try { files = readdirSync(complianceEvidenceDir(m.dataDir)); } catch { /* never created */ }
      expect(files).toEqual([]);
    });

    it('answers "as of" an instant: attested, expired, and withdrawn only from the withdrawal on', async () => {
      const r = await attest(m.db, m.dataDir, { itemId: 'pci-12.8.1', expiresAt: new Date(T0.getTime() + 60 * DAY), note: 'TPSP list: the PSP' }, actor, T0);
      if (!r.ok) throw new Error(r.error);
      expect((await attestationsAsOf(m.db, new Date(T0.getTime() - DAY))).has('pci-12.8.1')).toBe(false);
      expect((await attestationsAsOf(m.db, new Date(T0.getTime() + DAY))).get('pci-12.8.1')?.id).toBe(r.attestation.id);
      const withdrawnAt = new Date(T0.getTime() + 10 * DAY);
      expect(await withdrawAttestation(m.db, r.attestation.id, 'PSP changed', actor, withdrawnAt)).toEqual({ ok: true });
      expect(await withdrawAttestation(m.db, r.attestation.id, 'again', actor, withdrawnAt)).toEqual({ ok: false, error: 'ALREADY_WITHDRAWN' });
      expect(await withdrawAttestation(m.db, 999_999, 'none', actor, withdrawnAt)).toEqual({ ok: false, error: 'ATTESTATION_NOT_FOUND' });
      expect((await attestationsAsOf(m.db, new Date(T0.getTime() + 5 * DAY))).has('pci-12.8.1')).toBe(true);
      expect((await attestationsAsOf(m.db, new Date(T0.getTime() + 11 * DAY))).has('pci-12.8.1')).toBe(false);
      expect(await auditCount(m.db, 'compliance.attested')).toBe(1);
      expect(await auditCount(m.db, 'compliance.withdrawn')).toBe(1);
    });
  });
}
