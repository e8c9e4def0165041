// `npm run bench -- card-field-check`: what the card-field check costs per HTML response. It is
// meant to run on every page the shop sends, so the product page (the common case) and the checkout
// page (whose payment note mentions card numbers in prose)
// are timed (both cleared by the pre-check, which looks only at field tags and labels), next to a
// page carrying a fake card form (pre-check passes, parse5 decides).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { startShop } from '../src/start-shop.ts';
import { findCardFields } from '../src/page-watch/card-field-detector.ts';

function nsPerCall(html: string, iterations: number): number {
  for (let i = 0; i < Math.min(1000, iterations); i++) findCardFields(html);
  const start = process.hrtime.bigint();
  let found = 0;
  for (let i = 0; i < iterations; i++) found += findCardFields(html).length;
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  if (found < 0) throw new Error('unreachable');
  return ns;
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mamori-bench-cf-'));
  const loaded = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const shop = await startShop({ config: loaded.config, logger: false, listen: false, reconcileAtStart: false, auditAnchoring: false });
  try {
    const home = await shop.app.inject({ url: '/' });
    const slug = /href="(\/products\/[^"?]+)/.exec(home.body)![1]!;
    const product = (await shop.app.inject({ url: slug })).body;
    const page = await shop.app.inject({ url: slug });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const variantId = /name="variantId" value="(\d+)"/.exec(page.body)![1]!;
    const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const added = await shop.app.inject({ method: 'POST', url: '/cart/items', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, variantId, quantity: '1' }).toString() });
    const checkout = (await shop.app.inject({ url: '/checkout', headers: { cookie: [cookie, ...added.cookies.map((c) => `${c.name}=${c.value}`)].join('; ') } })).body;
    const tampered = checkout.replace('</form>', '<label for="cc">カード番号</label><input id="cc" name="cc"></form>');
    if (findCardFields(product).length !== 0 || findCardFields(checkout).length !== 0 || findCardFields(tampered).length !== 1) throw new Error('detector gave an unexpected answer; fix that before timing it');
    const rows: [string, string, number][] = [
      ['product page (pre-check only)', product, 200_000],
      ['checkout page (pre-check only)', checkout, 50_000],
      ['checkout + fake card form (parsed)', tampered, 5_000],
    ];
    for (const [name, html, n] of rows) {
      process.stdout.write(`${name.padEnd(36)} ${String(Buffer.byteLength(html)).padStart(6)} bytes  ${nsPerCall(html, n).toFixed(0).padStart(9)} ns per page\n`);
    }
  } finally {
    await shop.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
