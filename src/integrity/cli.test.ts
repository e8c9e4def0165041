// `mamori integrity` exit codes and the audited approval, on a fixture installation and both
// databases: 2 before a baseline, 0 clean, 1 for a tampered file or a rewritten manifest, and an
// approval that names the operator and every change it accepts.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { createFixtureInstallation, type FixtureInstallation } from '../../test/support/integrity-installation.ts';
import { run, type IntegrityCliDeps } from './cli.ts';
import { integrityPaths, readIntegrityKey, readManifest, writeManifest } from './manifest-store.ts';

describeEachDatabase('mamori integrity', (database) => {
  let fx: FixtureInstallation;
  let t: MigratedTestDatabase;
  let out: string[];
  let err: string[];
  beforeEach(async () => {
    fx = createFixtureInstallation();
    t = await openMigratedDatabase(database);
    out = [];
    err = [];
  });
  afterEach(async () => {
    await t.dispose();
    fx.dispose();
  });

  const deps = (): Partial<IntegrityCliDeps> => ({
    config: () => fx.config(),
    openDb: async () => ({ db: t.db, close: async () => {} }),
    operator: () => 'cli:merchant',
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    clock: () => new Date('2026-12-01T05:00:00Z'),
  });
  const mamori = (...args: string[]) => run(args, deps());

  const auditRows = () => t.db.selectFrom('audit_log').select(['actor', 'action', 'after_json']).where('action', 'like', 'integrity.%').orderBy('id').execute() as Promise<{ actor: string; action: string; after_json: string }[]>;

  it('exits 2 before a baseline, 0 when untouched, 1 when a file changed, 0 again after an audited approve', async () => {
    expect(await mamori('verify')).toBe(2);
    expect(err.join('')).toContain('No baseline yet');
    expect(await mamori('baseline')).toBe(0);
    expect(await mamori('baseline')).toBe(2); // a second baseline would hide what changed: approve does that, audited
    expect(await mamori('verify')).toBe(0);

    fx.write('src/app.ts', 'export const app = "changed by the deploy";\n');
    fx.write('public/shell.php', '<?php echo 1;');
    out = [];
    expect(await mamori('verify', '--format', 'json')).toBe(1);
    const report = JSON.parse(out.join(''));
    expect(report.outcome).toBe('changed');
    expect(report.findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'changed', path: 'src/app.ts' }),
      expect.objectContaining({ kind: 'web-shell', path: 'public/shell.php', reason: 'not-an-image' }),
    ]));

    expect(await mamori('approve')).toBe(0);
    expect(await mamori('verify')).toBe(0);
    const rows = await auditRows();
    expect(rows.map((r) => [r.actor, r.action])).toEqual([['cli:merchant', 'integrity.baseline_recorded'], ['cli:merchant', 'integrity.approved']]);
    const approved = JSON.parse(rows[1]!.after_json);
    expect(approved.changes).toEqual(expect.arrayContaining(['changed: src/app.ts', 'possible web shell: public/shell.php (not an image of an allowed type)']));
    expect(approved.changeCount).toBe(2);
  });

  it('exits 1, never 0, when the manifest was rewritten to hide a changed file', async () => {
    expect(await mamori('baseline')).toBe(0);
    fx.write('src/app.ts', 'export const app = "backdoor";\n');
    const file = integrityPaths(fx.config()).manifestFile;
    const text = readFileSync(file, 'utf8');
    const body = JSON.parse(text.slice(text.indexOf('\n') + 1));
    delete body.files['src/app.ts'];
    writeFileSync(file, `${text.slice(0, text.indexOf('\n'))}\n${JSON.stringify(body)}`);
    expect(await mamori('verify')).toBe(1);
    expect(out.join('')).toContain('BAD_HMAC');
  });

  it('exits 1 when both the key and the manifest were deleted after a baseline, and refuses a new baseline', async () => {
    expect(await mamori('baseline')).toBe(0);
    rmSync(integrityPaths(fx.config()).manifestFile);
    rmSync(fx.keyFile);
    expect(await mamori('verify')).toBe(1);
    expect(out.join('')).toContain('BASELINE_GONE');
    expect(await mamori('baseline')).toBe(2);
  });

  it('exits 1 for a manifest forged to hide a change and re-signed with the real key', async () => {
    expect(await mamori('baseline')).toBe(0);
    const backdoor = 'export const evil = 1;\n';
    fx.write('src/evil.ts', backdoor);
    const paths = integrityPaths(fx.config());
    const key = readIntegrityKey(paths)!;
    const read = readManifest(paths, key);
    if (!read.ok) throw new Error(read.error);
    const { createHash } = await import('node:crypto');
    writeManifest(paths, key, { ...read.manifest, files: { ...read.manifest.files, 'src/evil.ts': `sha256:${createHash('sha256').update(backdoor).digest('hex')}` } });
    expect(await mamori('verify')).toBe(1);
    expect(out.join('')).toContain('NOT_APPROVED');
  });

  it('refuses usage errors with exit 2', async () => {
    expect(await mamori()).toBe(2);
    expect(await mamori('verify', '--format', 'xml')).toBe(2);
    expect(await mamori('frobnicate')).toBe(2);
    expect(await mamori('--help')).toBe(0);
  });
});
