// A large product CSV through the back office: checked in the request, written by the
// catalog-import job, watched on its own page (progress on PostgreSQL, where the page can be read
// while the write runs), all in or nothing. Both databases.
import iconv from 'iconv-lite';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { startTestShop, type TestShop } from '../../test/support/test-shop.ts';
import { enrolledAccount, signIn } from '../../test/support/admin-test-client.ts';
import { csrfTokenIfAny } from '../../test/support/csrf.ts';
import { uploadCsv } from '../../test/support/catalog-upload.ts';
import { catalogHeader } from './catalog-csv-format.ts';
import { BACKGROUND_IMPORT_ROWS, queueCatalogImport, runQueuedCatalogImports } from './catalog-import-runs.ts';
import { planCatalogImport, WRITE_CHUNK_ROWS } from './catalog-import.ts';

const ROWS = BACKGROUND_IMPORT_ROWS + 201;
function bigFile(prefix: string, stock = 1): Buffer {
  const lines = [catalogHeader('ja').join(',')];
  for (let i = 0; i < ROWS; i++) lines.push(`${prefix}-${i},food,,,大量${i},Bulk ${i},,,,8,,${prefix.toUpperCase()}-${i},a,a,100,${stock}`);
  return iconv.encode(lines.join('\r\n') + '\r\n', 'CP932');
}
const quietLog = { info() {}, warn() {}, error() {}, debug() {} } as never;

describeEachDatabase('product CSV import in the background', (database) => {
  let shop: TestShop;
  let owner: Awaited<ReturnType<typeof enrolledAccount>>;
  beforeAll(async () => {
    shop = await startTestShop(database, { jobPollMs: 0, reconcileAtStart: false, auditAnchoring: false });
    owner = await enrolledAccount(shop, 'owner-bg@example.jp', 'owner');
  });
  afterAll(async () => shop?.dispose());
  const productsLike = async (prefix: string) => (await shop.db.db.selectFrom('products').where('slug', 'like', `${prefix}-%`).select('id').execute()).length;
  const runRow = (id: number) => (shop.db.db as Kysely<any>).selectFrom('catalog_import_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('a large file is queued after its check, the page shows it waiting, and the job writes it all at once', async () => {
    const b = await signIn(shop, 'owner-bg@example.jp', owner.account.id, owner.secret);
    const planned = await planCatalogImport(shop.db.db, bigFile('queued'), 'auto');
    if (!planned.ok) throw new Error('plan failed');
    const id = await queueCatalogImport(shop.db.db, planned.plan, { accountId: owner.account.id, ip: '127.0.0.1', now: new Date() });

    const waiting = await b.get(`/admin/products/import/runs/${id}`);
    expect(waiting.statusCode).toBe(200);
    expect(waiting.headers.refresh).toBe('2');
    expect(waiting.headers['cache-control']).toBe('no-store');
    expect(waiting.body).toContain(`${ROWS} 行のファイルを確認しました。順番に書き込みます。`);
    expect(waiting.body).toContain(`<progress id="import-progress" max="${ROWS}" value="0">`);
    expect(await productsLike('queued')).toBe(0);

    expect(await shop.jobs.runNow('catalog-import')).toBe('ok');
    expect(await productsLike('queued')).toBe(ROWS);
    const done = await b.get(`/admin/products/import/runs/${id}?lang=en`);
    expect(done.headers.refresh).toBeUndefined();
    expect(done.body).toContain(`${ROWS} rows imported.`);
    expect(done.body).toContain(`Products added: ${ROWS}`);
    // Only the outcome stays: the plan (the file's content) is gone once the run ended.
    expect(await runRow(id)).toMatchObject({ status: 'done', plan_json: null });
    const audit = await (shop.db.db as Kysely<any>).selectFrom('audit_log').where('action', 'in', ['catalog.import_queued', 'catalog.imported'])
      .where('actor', '=', `admin:${owner.account.id}`).select(['action', 'target']).orderBy('id').execute();
    expect(audit).toEqual([{ action: 'catalog.import_queued', target: `catalog_import:${id}` }, { action: 'catalog.imported', target: 'catalog' }]);
  });

  it('the upload form sends a large file to its run page and the job starts at once', async () => {
    const b = await signIn(shop, 'owner-bg@example.jp', owner.account.id, owner.secret);
    const form = await b.get('/admin/products/import');
    const res = await uploadCsv(shop, b, csrfTokenIfAny(form.body), bigFile('uploaded'), 'import');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/products\/import\/runs\/\d+$/);
    await shop.jobs.settled();
    expect(await productsLike('uploaded')).toBe(ROWS);
    expect((await b.get(String(res.headers.location))).body).toContain(`${ROWS} 行を取り込みました。`);
  });

  it('a run whose stock changed after the check is refused whole, with the reason on its page', async () => {
    const b = await signIn(shop, 'owner-bg@example.jp', owner.account.id, owner.secret);
    // Every stock of the first test's products from 1 to 5.
    const planned = await planCatalogImport(shop.db.db, bigFile('queued', 5), 'auto');
    if (!planned.ok) throw new Error('plan failed');
    const id = await queueCatalogImport(shop.db.db, planned.plan, { accountId: owner.account.id, ip: '127.0.0.1', now: new Date() });
    // An order took a unit between the check and the write.
    await shop.db.db.updateTable('variants').set({ stock: 0 }).where('sku', '=', 'QUEUED-1107').execute();
    await shop.jobs.runNow('catalog-import');
    const page = await b.get(`/admin/products/import/runs/${id}`);
    expect(page.body).toContain('取り込めませんでした。何も書き込んでいません。');
    expect(page.body).toContain('確認の後に在庫数が変わりました');
    expect(await runRow(id)).toMatchObject({ status: 'refused', plan_json: null });
    // Nothing of the file went in, not even the chunks before the refused line.
    expect(await shop.db.db.selectFrom('variants').where('sku', '=', 'QUEUED-0').select('stock').executeTakeFirstOrThrow()).toEqual({ stock: 1 });
  });

  it('only owner and staff see a run, and an unknown or malformed id is not found', async () => {
    const b = await signIn(shop, 'owner-bg@example.jp', owner.account.id, owner.secret);
    expect((await b.get('/admin/products/import/runs/999999')).statusCode).toBe(404);
    expect((await b.get('/admin/products/import/runs/4242424242424242')).statusCode).toBe(404);
    expect((await b.get('/admin/products/import/runs/abc')).statusCode).toBe(404);
    const auditor = await enrolledAccount(shop, 'auditor-bg@example.jp', 'auditor');
    const a = await signIn(shop, 'auditor-bg@example.jp', auditor.account.id, auditor.secret);
    expect((await a.get('/admin/products/import/runs/1')).statusCode).toBe(403);
  });

  if (database.name === 'postgres') {
    it('on PostgreSQL the page shows the variants written so far while the write runs', async () => {
      const b = await signIn(shop, 'owner-bg@example.jp', owner.account.id, owner.secret);
      const planned = await planCatalogImport(shop.db.db, bigFile('watched'), 'auto');
      if (!planned.ok) throw new Error('plan failed');
      const id = await queueCatalogImport(shop.db.db, planned.plan, { accountId: owner.account.id, ip: '127.0.0.1', now: new Date() });
      const seen: string[] = [];
      await runQueuedCatalogImports({
        db: shop.db, clock: () => new Date(), log: quietLog, onCatalogChanged: () => {},
        onProgressRecorded: async (runId, written) => {
          if (written === ROWS) return;
          const page = await b.get(`/admin/products/import/runs/${runId}`);
          seen.push(/value="(\d+)"/.exec(page.body)?.[1] ?? 'none');
          // Nothing is visible in the catalog before the whole file is in.
          expect(await productsLike('watched')).toBe(0);
        },
      });
      expect(seen).toEqual([String(WRITE_CHUNK_ROWS), String(WRITE_CHUNK_ROWS * 2)]);
      expect(await runRow(id)).toMatchObject({ status: 'done' });
    });
  }
});
