// DATA_DIR and everything the shop writes there is private to the account running it; a data
// directory or database open to other users stops the start with the chmod that fixes it.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { startShop } from '../start-shop.ts';
import { DATABASES } from '../../test/support/databases.ts';
import { startTestShop } from '../../test/support/test-shop.ts';

const mode = (p: string) => statSync(p).mode & 0o777;

function configFor(dataDir: string, databaseUrl = path.join(dataDir, 'shop.sqlite')) {
  const loaded = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  return loaded.config;
}

for (const database of DATABASES) {
  describe(`data directory permissions on ${database.name}`, () => {
    it('creates the data directory 0700 and every file in it 0600: database, WAL, SHM, outbox mail', async () => {
      const shop = await startTestShop(database, { auditAnchoring: false, env: { DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'mamori-perm-')), 'data') } });
      try {
        await shop.mailer.send({ to: 'hanako@example.jp', subject: 'x', text: 'x', html: '<p>x</p>' });
        const dataDir = shop.config.dataDir;
        expect(mode(dataDir)).toBe(0o700);
        const seen: string[] = [];
        const walk = (dir: string) => {
          for (const e of readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            seen.push(path.relative(dataDir, p));
            expect([p, mode(p)]).toEqual([p, e.isDirectory() ? 0o700 : 0o600]);
            if (e.isDirectory()) walk(p);
          }
        };
        walk(dataDir);
        expect(seen.some((p) => p.startsWith('outbox/') && p.endsWith('.eml'))).toBe(true);
        expect(seen.some((p) => p.startsWith('media'))).toBe(true);
        if (database.name === 'sqlite') {
          const dbFile = shop.config.databaseUrl;
          for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) expect([f, mode(f)]).toEqual([f, 0o600]);
        }
      } finally {
        await shop.dispose();
      }
    });
  });
}

describe('start-up refuses data open to other users', () => {
  it('refuses a data directory readable by others, naming it and the chmod that fixes it', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'mamori-perm-')), 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    await expect(startShop({ config: configFor(dataDir), logger: false, listen: false, auditAnchoring: false })).rejects.toThrow(`chmod 700 ${dataDir}`);
  });

  it('refuses a database file readable by others, naming it and the chmod that fixes it', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'mamori-perm-'));
    const dbFile = path.join(dataDir, 'shop.sqlite');
    writeFileSync(dbFile, '');
    chmodSync(dbFile, 0o644);
    await expect(startShop({ config: configFor(dataDir), logger: false, listen: false, auditAnchoring: false })).rejects.toThrow(`chmod 600 ${dbFile}`);
  });
});
