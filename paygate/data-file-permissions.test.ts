// The gateway's database holds merchant HMAC secrets (and its WAL holds them too, in clear):
// folder 0700, files 0600, and a start on files open to other users is refused.
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestPaygate } from './paygate-test-fixture.ts';
import { buildPaygate } from './server.ts';
import { createLogger } from '../platform/create-logger.ts';

const mode = (p: string) => statSync(p).mode & 0o777;
const silent = () => createLogger({ name: 'x', level: 'silent' });

describe('gateway data files', () => {
  it('creates its folder 0700 and the database, WAL and SHM 0600', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'paygate-perm-')), 'paygate');
    const t = await startTestPaygate({ dbFile: path.join(dir, 'paygate.sqlite') });
    try {
      await t.paygate.provisionMerchant({ name: 'x' });
      expect(mode(dir)).toBe(0o700);
      for (const f of ['paygate.sqlite', 'paygate.sqlite-wal', 'paygate.sqlite-shm']) expect([f, mode(path.join(dir, f))]).toEqual([f, 0o600]);
    } finally {
      await t.close();
    }
  });

  it('refuses a database file or folder readable by others, naming the chmod', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'paygate-perm-'));
    const file = path.join(base, 'paygate.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    await expect(buildPaygate({ dbFile: file, log: silent(), notificationPollIntervalMs: 0 })).rejects.toThrow(`chmod 600 ${file}`);
    const open = path.join(base, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    await expect(buildPaygate({ dbFile: path.join(open, 'paygate.sqlite'), log: silent(), notificationPollIntervalMs: 0 })).rejects.toThrow(`chmod 700 ${open}`);
  });
});
