// Product image upload. The file's type is decided by its first bytes, never by the name or the
// Content-Type the browser sent; only PNG, JPEG and WebP are kept (no SVG: it can carry script).
// Files get a random name with the extension of the detected type, so @fastify/static serves
// them with that exact image type, and helmet's `nosniff` stops browsers from guessing otherwise.
// Every file is scanned for malware first (src/malware-scan/), before its type is even looked at,
// so a disguised file is alerted on whatever it pretends to be; nothing of a refused file is written.
// What is stored is never the uploaded file: sharp decodes it, turns it upright, shrinks it to at
// most MAX_IMAGE_EDGE pixels and encodes it afresh, which drops EXIF (a phone photo's GPS position,
// the camera's serial), XMP, ICC comments and anything appended after the image data.
import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import path from 'node:path';
import type { AdminAccount } from './admin-tables.ts';
import type { AdminDb } from './admin-tables.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import type { UploadScanResult } from '../malware-scan/upload-scan.ts';

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** The longest side of a stored image: enough for a zoomed product photo on a large screen. */
export const MAX_IMAGE_EDGE = 1600;
// A decompression bomb (a tiny file declaring a huge canvas) is refused before it is decoded.
const MAX_INPUT_PIXELS = 50_000_000;
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

  const stored = await reencodeImage(data, type);
  if (!stored) return { ok: false, error: 'NOT_AN_IMAGE' };
  const relative = `uploads/${randomBytes(16).toString('hex')}.${type === 'jpeg' ? 'jpg' : type}`;
  await mkdir(path.join(mediaDir, 'uploads'), { recursive: true });
  await writeFile(path.join(mediaDir, relative), stored.data, { flag: 'wx' });
  await db.insertInto('product_images').values({ product_id: productId, path: relative, alt_ja: altJa, alt_en: altEn, position: Number(count.n) }).execute();
  await appendAuditEntry(db, {
    actor: `admin:${by.account.id}`, action: 'product.image_added', target: `product:${productId}`, ip: by.ip,
    after: { path: relative, type, bytes: data.length, storedBytes: stored.data.length, width: stored.width, height: stored.height, sha256: scan.sha256, malwareScan: scan.scanned ? 'clean' : 'off', altJa, altEn }, at: by.now,
  });
  return { ok: true, path: relative };
}

/** Decodes, orients, shrinks and re-encodes in the same type, without metadata; undefined when it does not decode. */
export async function reencodeImage(data: Buffer, type: ImageType): Promise<{ data: Buffer; width: number; height: number } | undefined> {
  try {
    let img = sharp(data, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate() // applies the EXIF orientation before the EXIF is dropped
      .resize({ width: MAX_IMAGE_EDGE, height: MAX_IMAGE_EDGE, fit: 'inside', withoutEnlargement: true });
    img = type === 'jpeg' ? img.jpeg({ quality: 82, mozjpeg: true }) : type === 'png' ? img.png({ compressionLevel: 9 }) : img.webp({ quality: 82 });
    const { data: out, info } = await img.toBuffer({ resolveWithObject: true });
    return { data: out, width: info.width, height: info.height };
  } catch {
    return undefined;
  }
}

type Actor = { account: AdminAccount; ip: string; now: Date };

/** Removes an image: the row (positions closed up) and audit entry in one transaction, then the file. */
export async function deleteProductImage(db: AdminDb, mediaDir: string, productId: number, imageId: number, by: Actor): Promise<{ ok: true } | { ok: false; error: 'IMAGE_NOT_FOUND' }> {
  const removed = await db.transaction().execute(async (trx) => {
    const image = await trx.selectFrom('product_images').where('id', '=', imageId).where('product_id', '=', productId).selectAll().executeTakeFirst();
    if (!image) return undefined;
    await trx.deleteFrom('product_images').where('id', '=', imageId).execute();
    const rest = await trx.selectFrom('product_images').where('product_id', '=', productId).select(['id', 'position']).orderBy('position').orderBy('id').execute();
    for (const [position, r] of rest.entries()) if (r.position !== position) await trx.updateTable('product_images').set({ position }).where('id', '=', r.id).execute();
    await appendAuditEntry(trx, { actor: `admin:${by.account.id}`, action: 'product.image_deleted', target: `product:${productId}`, ip: by.ip, before: { id: image.id, path: image.path, altJa: image.alt_ja, altEn: image.alt_en }, at: by.now });
    return image;
  });
  if (!removed) return { ok: false, error: 'IMAGE_NOT_FOUND' };
  // The path came from the database and is always uploads/<hex>.<ext> or a demo image's name.
  await unlink(path.join(mediaDir, removed.path)).catch(() => undefined);
  return { ok: true };
}

/** Swaps an image with its neighbour; the first image is the one the catalog shows. */
export async function moveProductImage(db: AdminDb, productId: number, imageId: number, direction: 'up' | 'down', by: Actor): Promise<{ ok: true } | { ok: false; error: 'IMAGE_NOT_FOUND' }> {
  return db.transaction().execute(async (trx) => {
    const order = await trx.selectFrom('product_images').where('product_id', '=', productId).select(['id', 'position']).orderBy('position').orderBy('id').execute();
    const at = order.findIndex((i) => i.id === imageId);
    if (at < 0) return { ok: false, error: 'IMAGE_NOT_FOUND' } as const;
    const to = direction === 'up' ? at - 1 : at + 1;
    if (to < 0 || to >= order.length) return { ok: true } as const;
    const ids = order.map((i) => i.id);
    [ids[at], ids[to]] = [ids[to]!, ids[at]!];
    for (const [position, id] of ids.entries()) {
      if (order[position]!.id !== id || order[position]!.position !== position) await trx.updateTable('product_images').set({ position }).where('id', '=', id).execute();
    }
    await appendAuditEntry(trx, { actor: `admin:${by.account.id}`, action: 'product.images_reordered', target: `product:${productId}`, ip: by.ip, before: { order: order.map((i) => i.id) }, after: { order: ids }, at: by.now });
    return { ok: true } as const;
  });
}
