// The product CSV: one row per variant, the product's fields repeated (or left empty) on each of its
// rows. Headers in Japanese or English, as the back office exported them. Files come from
// spreadsheets in UTF-8 (with or without BOM) or Shift_JIS (Windows code page 932), as Japanese
// Excel saves them; iconv-lite decodes and encodes the latter, csv-parse reads RFC 4180.
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import type { Locale } from '../i18n/locale.ts';

export const CATALOG_COLUMNS = [
  { key: 'product_slug', ja: '商品URL名', en: 'product_slug', required: true },
  { key: 'category_slug', ja: 'カテゴリURL名', en: 'category_slug', required: true },
  { key: 'category_name_ja', ja: 'カテゴリ名（日本語）', en: 'category_name_ja', required: false },
  { key: 'category_name_en', ja: 'カテゴリ名（英語）', en: 'category_name_en', required: false },
  { key: 'name_ja', ja: '商品名（日本語）', en: 'name_ja', required: true },
  { key: 'name_en', ja: '商品名（英語）', en: 'name_en', required: true },
  { key: 'description_ja', ja: '説明（日本語）', en: 'description_ja', required: false },
  { key: 'description_en', ja: '説明（英語）', en: 'description_en', required: false },
  { key: 'reading', ja: '読み', en: 'reading', required: false },
  { key: 'tax_rate', ja: '税率', en: 'tax_rate', required: true },
  { key: 'status', ja: '公開状態', en: 'status', required: false },
  { key: 'sku', ja: 'SKU', en: 'sku', required: true },
  { key: 'variant_name_ja', ja: 'バリエーション名（日本語）', en: 'variant_name_ja', required: true },
  { key: 'variant_name_en', ja: 'バリエーション名（英語）', en: 'variant_name_en', required: true },
  { key: 'price', ja: '価格（税込）', en: 'price', required: true },
  { key: 'stock', ja: '在庫数', en: 'stock', required: true },
] as const;
export type CatalogColumn = (typeof CATALOG_COLUMNS)[number]['key'];

export type FileEncoding = 'auto' | 'utf-8' | 'shift_jis';

export type DecodeResult = { ok: true; text: string; encoding: 'utf-8' | 'shift_jis' } | { ok: false; code: 'NOT_UTF8' | 'EMPTY' };

/** Text of an uploaded file: UTF-8 when it is valid UTF-8 (or says so), Shift_JIS otherwise. */
export function decodeCatalogFile(bytes: Buffer, encoding: FileEncoding): DecodeResult {
  if (bytes.length === 0) return { ok: false, code: 'EMPTY' };
  if (encoding === 'shift_jis') return { ok: true, text: iconv.decode(bytes, 'CP932'), encoding: 'shift_jis' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text, encoding: 'utf-8' };
  } catch {
    return encoding === 'utf-8' ? { ok: false, code: 'NOT_UTF8' } : { ok: true, text: iconv.decode(bytes, 'CP932'), encoding: 'shift_jis' };
  }
}

export function encodeCatalogFile(text: string, encoding: 'utf-8' | 'shift_jis'): Buffer {
  // Excel in Japan reads UTF-8 only with a BOM; Shift_JIS files have none.
  return encoding === 'shift_jis' ? iconv.encode(text, 'CP932') : Buffer.from(`\ufeff${text}`, 'utf8');
}

export type ParsedSheet =
  | { ok: true; columns: (CatalogColumn | undefined)[]; headers: string[]; rows: { line: number; cells: string[] }[] }
  | { ok: false; code: 'UNREADABLE' | 'NO_HEADER' | 'UNKNOWN_COLUMN' | 'MISSING_COLUMN' | 'DUPLICATE_COLUMN' | 'TOO_MANY_ROWS'; column?: string };

const headerKey = (h: string) => h.normalize('NFKC').trim().toLowerCase();
const HEADER_TO_COLUMN = new Map<string, CatalogColumn>(CATALOG_COLUMNS.flatMap((c) => [[headerKey(c.ja), c.key], [headerKey(c.en), c.key]] as [string, CatalogColumn][]));

/** Rows with the line number a spreadsheet shows (the header is line 1). */
export function parseCatalogSheet(text: string, maxRows: number): ParsedSheet {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: false }) as string[][];
  } catch {
    return { ok: false, code: 'UNREADABLE' };
  }
  const [header, ...body] = records;
  if (!header || header.every((h) => h.trim() === '')) return { ok: false, code: 'NO_HEADER' };
  const columns = header.map((h) => HEADER_TO_COLUMN.get(headerKey(h)));
  const unknown = header.findIndex((h, i) => columns[i] === undefined && h.trim() !== '');
  if (unknown >= 0) return { ok: false, code: 'UNKNOWN_COLUMN', column: header[unknown]! };
  const seen = new Set<CatalogColumn>();
  for (const [i, c] of columns.entries()) {
    if (c === undefined) continue;
    if (seen.has(c)) return { ok: false, code: 'DUPLICATE_COLUMN', column: header[i]! };
    seen.add(c);
  }
  const missing = CATALOG_COLUMNS.find((c) => c.required && !seen.has(c.key));
  if (missing) return { ok: false, code: 'MISSING_COLUMN', column: missing.ja };
  if (body.length > maxRows) return { ok: false, code: 'TOO_MANY_ROWS' };
  return { ok: true, columns, headers: header, rows: body.map((cells, i) => ({ line: i + 2, cells })) };
}

export function catalogHeader(locale: Locale): string[] {
  return CATALOG_COLUMNS.map((c) => c[locale]);
}

/**
 * The export makes text cells that start like a formula safe with a leading apostrophe (csvCell);
 * reading the file back takes it off again, so an export imports unchanged.
 */
export function unprotectCell(value: string): string {
  return /^'[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^'[\t\r\n]/.test(value) ? value.slice(1) : value;
}
