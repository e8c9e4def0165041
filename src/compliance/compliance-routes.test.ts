// The compliance map in the back office, on both databases: who may read and who may attest
// (staff nothing, the vendor read-only, owner and auditor attest); attesting with an evidence file
// (0600, SHA-256, audited), field messages re-rendered with what was typed, CSRF, expiry with an
// injected clock, withdrawal (audited), a tampered evidence file refused, and the JSON export.
import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { complianceEvidenceDir } from './compliance-attestations.ts';
import { complianceExport, ComplianceExportSchema } from './compliance-export.ts';
import { complianceSource, evaluateCompliance } from './evaluate-compliance.ts';
import { COMPLIANCE_MAP } from './compliance-map.ts';

type Browser = Awaited<ReturnType<typeof signIn>>;
type AuditRow = { action: string; actor: string; target: string; before_json: string | null; after_json: string | null };

const DAY = 86_400_000;
const fieldError = (body: string, id: string) => new RegExp(`id="${id}-error">([^<]*)<`).exec(body)?.[1];
const itemStatus = (body: string, id: string) => new RegExp(`data-item="${id.replace(/\./g, '\\.')}" data-status="([^"]+)"`).exec(body)?.[1];
const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

async function postMultipart(shop: TestShop, browser: Browser, url: string, fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) {
  const boundary = `----mamori${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return shop.app.inject({
    method: 'POST', url, payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
}

describeEachDatabase('the compliance map in the back office', (database) => {
  let shop: TestShop;
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const dateIn = (days: number) => new Date(clock().getTime() + days * DAY).toISOString().slice(0, 10);
  let owner: Browser;
  let auditor: Browser;
  let vendor: Browser;
  let staff: Browser;
  const audit = async (action: string) => shop.db.db.selectFrom('audit_log' as never).select(['action', 'actor', 'target', 'before_json', 'after_json'] as never[]).where('action' as never, '=', action as never).orderBy('id' as never).execute() as unknown as Promise<AuditRow[]>;

  beforeAll(async () => {
    shop = await startTestShop(database, { clock, reconcileAtStart: false });
    const accounts: Record<string, { id: number; secret: string }> = {};
    for (const role of ['owner', 'auditor', 'vendor', 'staff'] as const) {
      const a = await enrolledAccount(shop, `${role === 'owner' ? 'hanako' : role === 'auditor' ? 'kansa.taro' : role === 'vendor' ? 'vendor.jiro' : 'staff.saburo'}@example.jp`, role);
      accounts[role] = { id: a.account.id, secret: a.secret };
    }
    owner = await signIn(shop, 'hanako@example.jp', accounts.owner!.id, accounts.owner!.secret);
    auditor = await signIn(shop, 'kansa.taro@example.jp', accounts.auditor!.id, accounts.auditor!.secret);
    vendor = await signIn(shop, 'vendor.jiro@example.jp', accounts.vendor!.id, accounts.vendor!.secret);
    staff = await signIn(shop, 'staff.saburo@example.jp', accounts.staff!.id, accounts.staff!.secret);
  });
  afterAll(async () => shop?.dispose());

  it('keeps staff out, lets the vendor read but not attest or download evidence, shows every item', async () => {
    for (const url of ['/admin/compliance', '/admin/compliance.json', '/admin/compliance/print', '/admin/compliance/attestations/1/evidence']) {
      const r = await staff.get(url);
      expect([url, r.statusCode, r.headers['x-mamori-admin-refused']]).toEqual([url, 403, 'role']);
    }
    const page = await vendor.get('/admin/compliance?lang=en');
    expect(page.statusCode).toBe(200);
    for (const item of COMPLIANCE_MAP) expect(page.body, item.id).toContain(`data-item="${item.id}"`);
    expect(page.body).toContain('id="compliance-read-only"');
    expect(page.body).not.toContain('action="/admin/compliance/attestations"');
    expect((await vendor.get('/admin/compliance.json')).statusCode).toBe(200);
    expect((await vendor.get('/admin/compliance/print')).statusCode).toBe(200);
    const refused = await vendor.post('/admin/compliance/attestations', { itemId: 'pci-12.10.1', expiresOn: dateIn(30), note: 'plan' });
    expect([refused.statusCode, refused.headers['x-mamori-admin-refused']]).toEqual([403, 'role']);
    expect((await vendor.get('/admin/compliance/attestations/1/evidence')).statusCode).toBe(403);
    expect(await audit('compliance.attested')).toEqual([]);
  });

  it('refuses a form without this session\'s CSRF token', async () => {
    await owner.get('/admin/compliance');
    const r = await postMultipart(shop, owner, '/admin/compliance/attestations', { itemId: 'pci-12.10.1', expiresOn: dateIn(30), note: 'plan' });
    expect(r.statusCode).toBe(403);
    const forged = await postMultipart(shop, owner, '/admin/compliance/attestations', { _csrf: 'x.y', itemId: 'pci-12.10.1', expiresOn: dateIn(30), note: 'plan' });
    expect(forged.statusCode).toBe(403);
    expect(await audit('compliance.attested')).toEqual([]);
  });

  it('re-renders field messages with what was typed', async () => {
    const page = await owner.get('/admin/compliance');
    const token = csrfOf(page.body);
    const empty = await postMultipart(shop, owner, '/admin/compliance/attestations', { _csrf: token, itemId: 'pci-12.10.1', expiresOn: dateIn(30), note: '' });
    expect(empty.statusCode).toBe(400);
    expect(fieldError(empty.body, 'attest-note')).toBe('入力してください。');
    expect(empty.body).toContain(`value="${dateIn(30)}"`);
    const far = await postMultipart(shop, owner, '/admin/compliance/attestations?lang=en', { _csrf: token, itemId: 'pci-11.3.2.asv', expiresOn: dateIn(200), note: 'ASV report Q4' });
    expect(far.statusCode).toBe(400);
    expect(fieldError(far.body, 'attest-expiresOn')).toBe('For this item the expiry can be at most 92 days ahead.');
    expect(far.body).toContain('ASV report Q4</textarea>');
    const automated = await postMultipart(shop, owner, '/admin/compliance/attestations?lang=en', { _csrf: token, itemId: 'pci-11.3.2', expiresOn: dateIn(30), note: 'x' });
    expect(fieldError(automated.body, 'attest-itemId')).toBe('That item is checked automatically and cannot be attested.');
    const past = await postMultipart(shop, owner, '/admin/compliance/attestations?lang=en', { _csrf: token, itemId: 'pci-12.10.1', expiresOn: dateIn(-1), note: 'x' });
    expect(fieldError(past.body, 'attest-expiresOn')).toBe('The expiry date must be after today.');
    expect(await audit('compliance.attested')).toEqual([]);
  });

  it('records an attestation with its evidence file (0600, SHA-256, audited), serves it verified, refuses it once altered', async () => {
    offsetMs = 0;
    const page = await owner.get('/admin/compliance');
    const bytes = Buffer.from('インシデント対応計画 2026年版\n');
    const r = await postMultipart(shop, owner, '/admin/compliance/attestations', { _csrf: csrfOf(page.body), itemId: 'pci-12.10.1', expiresOn: dateIn(10), note: '計画を改訂し全員に配布した' }, { name: 'ir-plan.txt', type: 'text/plain', bytes });
    expect(r.statusCode, r.body.slice(0, 500)).toBe(303);
    const after = await owner.get('/admin/compliance');
    expect(itemStatus(after.body, 'pci-12.10.1')).toBe('attested');
    const entries = await audit('compliance.attested');
    expect(entries).toHaveLength(1);
    const recorded = JSON.parse(entries[0]!.after_json!) as { attestationId: number; evidence: { sha256: string; sizeBytes: number } };
    expect(entries[0]!.target).toBe('compliance:pci-12.10.1');
    expect(recorded.evidence.sizeBytes).toBe(bytes.length);
    const file = path.join(complianceEvidenceDir(shop.dataDir), (await shop.db.db.selectFrom('compliance_attestations' as never).select('evidence_stored_name' as never).executeTakeFirstOrThrow() as { evidence_stored_name: string }).evidence_stored_name);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const download = await auditor.get(`/admin/compliance/attestations/${recorded.attestationId}/evidence`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);
    expect(download.headers['x-evidence-sha256']).toBe(recorded.evidence.sha256);
    writeFileSync(file, 'altered');
    const refused = await auditor.get(`/admin/compliance/attestations/${recorded.attestationId}/evidence`);
    expect(refused.statusCode).toBe(409);
    writeFileSync(file, bytes);

    // Expiry with an injected clock: evaluated as of a moment past the chosen date (moving the
    // shop's clock 11 days would end every session by the idle timeout).
    const later = new Date(clock().getTime() + 11 * DAY);
    const ctx = { db: shop.db.db, config: shop.config, velocityLimits: shop.context.velocityLimits };
    expect((await complianceSource(ctx).evaluate(later)).items.find((i) => i.id === 'pci-12.10.1')?.status).toBe('attestation-expired');
    expect((await complianceSource(ctx).evaluate(clock())).items.find((i) => i.id === 'pci-12.10.1')?.status).toBe('attested');
    const json = complianceExport(await evaluateCompliance(ctx, later), shop.config.shopName, (a) => (a.startsWith('admin:') ? 'hanako@example.jp' : a));
    const exported = json.items.find((i) => i.id === 'pci-12.10.1')!;
    expect(exported.status).toBe('attestation-expired');
    expect(json.counts.attestationExpired).toBe(1);

    // The export over HTTP: the published schema, with who attested by e-mail.
    const http = JSON.parse((await auditor.get('/admin/compliance.json')).body);
    expect(ComplianceExportSchema.safeParse(http).success).toBe(true);
    expect(http.items.find((i: { id: string }) => i.id === 'pci-12.10.1').attestation.attestedBy).toBe('hanako@example.jp');
  });

  it('lets the auditor attest and the owner withdraw, both audited; withdrawing needs a reason', async () => {
    const page = await auditor.get('/admin/compliance');
    const r = await postMultipart(shop, auditor, '/admin/compliance/attestations', { _csrf: csrfOf(page.body), itemId: 'jp-emv-3ds', expiresOn: dateIn(300), note: '決済代行の管理画面で3-Dセキュア2.0が有効であることを確認' });
    expect(r.statusCode).toBe(303);
    const [row] = await shop.db.db.selectFrom('compliance_attestations' as never).select(['id', 'attested_by'] as never[]).where('item_id' as never, '=', 'jp-emv-3ds' as never).execute() as unknown as { id: number; attested_by: string }[];
    expect(row!.attested_by).toMatch(/^admin:\d+$/);
    expect(itemStatus((await owner.get('/admin/compliance')).body, 'jp-emv-3ds')).toBe('attested');

    const noReason = await owner.post(`/admin/compliance/attestations/${row!.id}/withdraw`, { note: '' });
    expect(noReason.statusCode).toBe(400);
    expect(fieldError(noReason.body, `withdraw-note-${row!.id}`)).toBe('入力してください。');
    const withdrawn = await owner.post(`/admin/compliance/attestations/${row!.id}/withdraw`, { note: '決済代行を変更したため' });
    expect(withdrawn.statusCode).toBe(303);
    expect(itemStatus((await owner.get('/admin/compliance')).body, 'jp-emv-3ds')).toBe('attestation-missing');
    const entries = await audit('compliance.withdrawn');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.target).toBe('compliance:jp-emv-3ds');
    expect(JSON.parse(entries[0]!.before_json!)).toMatchObject({ attestationId: row!.id });
    const again = await owner.post(`/admin/compliance/attestations/${row!.id}/withdraw`, { note: 'again' });
    expect(again.statusCode).toBe(409);
    expect(await audit('compliance.withdrawn')).toHaveLength(1);
  });

  it('prints without forms or menu', async () => {
    const print = await auditor.get('/admin/compliance/print?lang=en');
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('class="compliance-print-page"');
    expect(print.body).toContain('Compliance map (print)');
    expect(print.body).not.toContain('<form');
    expect(print.body).not.toContain('<nav');
  });
});
