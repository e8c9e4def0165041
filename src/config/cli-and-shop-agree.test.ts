// The shop and the `mamori` command must judge the same data: for one environment they resolve
// the same advisory store and the same database. (With DATA_DIR set, the CLI once imported into
// ./data/advisories while the shop read DATA_DIR/advisories, and left the database out.)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function mamori(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { MAMORI_ADVISORY_DIR: _a, DATABASE_URL: _d, DATA_DIR: _dd, ...base } = process.env;
    const child = spawn(TSX, [path.join(ROOT, 'src/cli/mamori.ts'), ...args], { cwd, env: { ...base, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the shop and the CLI resolve the same data for one environment', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mamori-agree-'));
  // The CLI runs from another working directory, as an operator's shell would.
  const elsewhere = mkdtempSync(path.join(tmpdir(), 'mamori-cwd-'));
  const env = { DATA_DIR: dataDir };
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const shopConfig = loaded.config;
  const db = openDatabase(shopConfig.databaseUrl);
  afterAll(async () => { await db.close(); });

  it('advisories imported by the CLI land where the shop reads them', async () => {
    expect(shopConfig.advisories.dir).toBe(path.join(dataDir, 'advisories'));
    const r = await mamori(['advisories', 'import', path.join(ROOT, 'src/advisories/fixtures/osv')], env, elsewhere);
    expect(r.stderr).not.toMatch(/invalid configuration/);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(shopConfig.advisories.dir, 'manifest.json'))).toBe(true);
    expect(existsSync(path.join(elsewhere, 'data'))).toBe(false);
  });

  it('the inventory includes the shop\'s default SQLite database without DATABASE_URL', async () => {
    await migrateToLatest(db.db);
    const r = await mamori(['inventory', '--format', 'json'], env, elsewhere);
    expect(r.code).toBe(0);
    const inventory = JSON.parse(r.stdout) as { components: { name: string; type?: string }[] };
    expect(inventory.components.some((c) => c.name === 'sqlite')).toBe(true);
  });

  it('a bad setting stops the CLI with one line naming the variable', async () => {
    const r = await mamori(['inventory'], { ...env, TRUST_PROXY: 'true' }, elsewhere);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/TRUST_PROXY/);
  });
});
