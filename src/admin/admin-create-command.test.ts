import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import { DATABASES } from '../../test/support/databases.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { runAdminCreate } from './admin-create-command.ts';
import { adminDb } from './admin-tables.ts';
import { verifyPassword } from './password-hashing.ts';

function io(input = '') {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => { stdout += String(c); });
  err.on('data', (c) => { stderr += String(c); });
  return { io: { stdin: Readable.from([input]), stdout: out, stderr: err }, text: () => ({ stdout, stderr }) };
}

for (const database of DATABASES) {
  describe(`npm run admin:create on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const created = await database.create();
      drop = created.drop;
      handle = openDatabase(created.url);
      await migrateToLatest(handle.db);
    });
    afterAll(async () => { await handle?.close(); await drop?.(); });

    it('creates an owner from flags, hashed, and audits it', async () => {
      const t = io();
      expect(await runAdminCreate(['--email', 'Owner@Example.jp', '--password', 'Sakura-no-hana-2026'], handle.db, t.io)).toBe(0);
      const row = await adminDb(handle.db).selectFrom('admin_accounts').where('email', '=', 'owner@example.jp').selectAll().executeTakeFirstOrThrow();
      expect(row.role).toBe('owner');
      expect(row.password_hash).not.toContain('Sakura');
      expect(await verifyPassword('Sakura-no-hana-2026', row.password_hash)).toBe(true);
      expect(t.text().stdout).not.toContain('Sakura');
    });

    it('reads e-mail and password from stdin when not on a terminal', async () => {
      const t = io('second@example.jp\nYama-to-kawa-no-michi\n');
      expect(await runAdminCreate([], handle.db, t.io)).toBe(0);
      expect(await adminDb(handle.db).selectFrom('admin_accounts').where('email', '=', 'second@example.jp').select('role').executeTakeFirst()).toEqual({ role: 'owner' });
    });

    it('refuses weak passwords, taken addresses and bad input without creating anything', async () => {
      const weak = io();
      expect(await runAdminCreate(['--email', 'weak@example.jp', '--password', 'password1234'], handle.db, weak.io)).toBe(1);
      expect(weak.text().stderr).toMatch(/common/);
      expect(await runAdminCreate(['--email', 'short@example.jp', '--password', 'short'], handle.db, io().io)).toBe(1);
      expect(await runAdminCreate(['--email', 'owner@example.jp', '--password', 'Another-long-passphrase-7'], handle.db, io().io)).toBe(1);
      expect(await runAdminCreate(['--email', 'not-an-email', '--password', 'Another-long-passphrase-7'], handle.db, io().io)).toBe(2);
      expect(await runAdminCreate(['--bogus'], handle.db, io().io)).toBe(2);
      const emails = (await adminDb(handle.db).selectFrom('admin_accounts').select('email').execute()).map((r) => r.email);
      expect(emails.sort()).toEqual(['owner@example.jp', 'second@example.jp']);
    });
  });
}
