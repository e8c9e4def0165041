// The shop's logo: PNG, JPEG or WebP up to 2 MB, decided by its first bytes (the detector the
// product images use), scanned for malware before anything is written, then decoded and encoded
// afresh by the product images' re-encoder (sharp): what is stored drops EXIF (a phone photo's GPS
// position), XMP and anything appended after the image, and is at most MAX_IMAGE_EDGE pixels a side.
// Stored under the media directory with a random name so every instance (one shared MEDIA_DIR)
// serves it at /media/….
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { detectImageType, reencodeImage } from '../admin/product-images.ts';
import { scanUpload, type UploadDescription } from '../malware-scan/upload-scan.ts';
import type { MalwareScanContext } from '../malware-scan/run-malware-scan.ts';

export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

export type LogoResult =
  | { ok: true; path: string; type: string; bytes: number; sha256: string }
  | { ok: false; error: 'logoTooLarge' | 'logoType' | 'logoMalware' | 'logoScanUnavailable' };

/** Checks and writes an uploaded logo; returns its path under MEDIA_DIR (e.g. `shop/logo-….png`). */
export async function storeShopLogo(ctx: MalwareScanContext, mediaDir: string, data: Buffer, by: UploadDescription): Promise<LogoResult> {
  if (data.length > LOGO_MAX_BYTES) return { ok: false, error: 'logoTooLarge' };
  const scan = await scanUpload(ctx, data, by);
  if (!scan.ok) return { ok: false, error: scan.error === 'MALWARE_FOUND' ? 'logoMalware' : 'logoScanUnavailable' };
  const type = detectImageType(data);
  if (!type) return { ok: false, error: 'logoType' };
  // A file that starts like an image but does not decode as one is not an image.
  const clean = await reencodeImage(data, type);
  if (!clean) return { ok: false, error: 'logoType' };
  const relative = `shop/logo-${randomBytes(12).toString('hex')}.${type === 'jpeg' ? 'jpg' : type}`;
  await mkdir(path.join(mediaDir, 'shop'), { recursive: true });
  await writeFile(path.join(mediaDir, relative), clean.data, { flag: 'wx' });
  return { ok: true, path: relative, type, bytes: clean.data.length, sha256: scan.sha256 };
}

/**
 * The stored logo as a `data:` URL, for documents printed offline (receipts, delivery slips: the
 * PDF renderer fetches nothing). Undefined without a logo or when its file is gone or is not an
 * image: a document still prints, with the seller's name in words.
 */
export async function logoDataUrl(mediaDir: string, logoPath: string | undefined): Promise<string | undefined> {
  if (!logoPath) return undefined;
  const file = path.resolve(mediaDir, logoPath);
  // The path comes from our own row; still, only a file under MEDIA_DIR is read.
  if (!file.startsWith(path.resolve(mediaDir) + path.sep)) return undefined;
  const data = await readFile(file).catch(() => undefined);
  const type = data && data.length <= LOGO_MAX_BYTES ? detectImageType(data) : undefined;
  return type ? `data:image/${type};base64,${data!.toString('base64')}` : undefined;
}
