// Product image upload. The file's type is decided by its first bytes, never by the name or the
// Content-Type the browser sent; only PNG, JPEG and WebP are kept (no SVG: it can carry script).
// Files get a random name with the extension of the detected type, so @fastify/static serves
// them with that exact image type, and helmet's `nosniff` stops browsers from guessing otherwise.
// Every file is scanned for malware first (src/malware-scan/), before its type is even looked at,
// so a disguised file is alerted on whatever it pretends to be; nothing of a refused file is written.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AdminAccount } from './admin-tables.ts';
import type { AdminDb } from './admin-tables.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import type { UploadScanResult } from '../malware-scan/upload-scan.ts';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const MAX_IMAGES_PER_PRODUCT = 12;

export type ImageType = 'png' | 'jpeg' | 'webp';

export function detectImageType(buf: Buffer): ImageType | undefined {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

export type ImageUploadError = 'NO_FILE' | 'TOO_LARGE' | 'NOT_AN_IMAGE' | 'ALT_REQUIRED' | 'TOO_MANY_IMAGES' | 'PRODUCT_NOT_FOUND' | 'MALWARE_FOUND' | 'MALWARE_SCAN_UNAVAILABLE';

export async function addProductImage(
  db: AdminDb,
  mediaDir: string,
  productId: number,
  upload: { data: Buffer | undefined; altJa: string; altEn: string },
  by: { account: AdminAccount; ip: string; now: Date },
  scanForMalware: (data: Buffer) => Promise<UploadScanResult>,
): Promise<{ ok: true; path: string } | { ok: false; error: ImageUploadError }> {
  const data = upload.data;
  if (!data || data.length === 0) return { ok: false, error: 'NO_FILE' };
  if (data.length > MAX_IMAGE_BYTES) return { ok: false, error: 'TOO_LARGE' };
  const scan = await scanForMalware(data);
  if (!scan.ok) return { ok: false, error: scan.error };
  const type = detectImageType(data);
  if (!type) return { ok: false, error: 'NOT_AN_IMAGE' };
  const altJa = upload.altJa.trim();
  const altEn = upload.altEn.trim();
  // Every image has alt text in both languages, like the demo catalog's.
  if (!altJa || !altEn || altJa.length > 300 || altEn.length > 300) return { ok: false, error: 'ALT_REQUIRED' };
  const product = await db.selectFrom('products').where('id', '=', productId).select('id').executeTakeFirst();
  if (!product) return { ok: false, error: 'PRODUCT_NOT_FOUND' };
  const count = await db.selectFrom('product_images').where('product_id', '=', productId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_IMAGES_PER_PRODUCT) return { ok: false, error: 'TOO_MANY_IMAGES' };

  const relative = `uploads/${randomBytes(16).toString('hex')}.${type === 'jpeg' ? 'jpg' : type}`;
  await mkdir(path.join(mediaDir, 'uploads'), { recursive: true });
  await writeFile(path.join(mediaDir, relative), data, { flag: 'wx' });
  await db.insertInto('product_images').values({ product_id: productId, path: relative, alt_ja: altJa, alt_en: altEn, position: Number(count.n) }).execute();
  await appendAuditEntry(db, {
    actor: `admin:${by.account.id}`, action: 'product.image_added', target: `product:${productId}`, ip: by.ip,
    after: { path: relative, type, bytes: data.length, sha256: scan.sha256, malwareScan: scan.scanned ? 'clean' : 'off', altJa, altEn }, at: by.now,
  });
  return { ok: true, path: relative };
}
