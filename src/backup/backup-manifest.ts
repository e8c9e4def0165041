// What a Mamori backup archive holds and how its contents are checked (see README.md).
import { z } from 'zod';

export const MANIFEST_ENTRY = 'MANIFEST.json';
/** The same sums in `sha256sum` format, so `tar -xf … && sha256sum -c SHA256SUMS` works without Mamori. */
export const SHA256SUMS_ENTRY = 'SHA256SUMS';
export const SQLITE_ENTRY = 'database/mamori.sqlite';
export const PG_DUMP_ENTRY = 'database/mamori.pgdump';
export const ANCHORS_ENTRY = 'audit-anchors.log';
export const TOTP_KEY_ENTRY = 'admin-totp.key';
export const MEDIA_PREFIX = 'media/';

/**
 * Names an archive may contain. Anything else (an absolute path, `..`, a file we never write) is
 * refused before a byte is extracted, so a crafted archive cannot write outside the target.
 */
export function isAllowedEntryName(name: string): boolean {
  if ([SQLITE_ENTRY, PG_DUMP_ENTRY, ANCHORS_ENTRY, TOTP_KEY_ENTRY].includes(name)) return true;
  if (!name.startsWith(MEDIA_PREFIX)) return false;
  const segments = name.slice(MEDIA_PREFIX.length).split('/');
  return segments.every((s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\0') && !s.includes('\\'));
}

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const BackupManifestSchema = z.object({
  format: z.literal('mamori-backup'),
  version: z.literal(1),
  createdAt: z.iso.datetime(),
  engine: z.enum(['sqlite', 'postgres']),
  /** When the database snapshot was taken: every transaction committed before it is in the archive. */
  snapshotAt: z.iso.datetime(),
  /** The audit chain's head inside the snapshot (id 0 for an empty log). */
  auditHead: z.object({ id: z.number().int().min(0), hash: Sha256 }),
  files: z.array(z.object({ path: z.string().refine(isAllowedEntryName, { error: 'not a name a Mamori backup holds' }), size: z.number().int().min(0), sha256: Sha256 })),
});

export type BackupManifest = z.infer<typeof BackupManifestSchema>;

export function sha256SumsText(manifest: BackupManifest): string {
  return manifest.files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}
