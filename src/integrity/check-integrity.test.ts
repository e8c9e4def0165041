// The integrity check against the attacks it exists for, on a fixture installation (never the
// real repository): a tampered file, a tampered file with a rewritten manifest, a deleted
// manifest, web shells in public/ and DATA_DIR/media, and a key other users could read.
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase, type MigratedTestDatabase } from '../../test/support/migrated-database.ts';
import { createFixtureInstallation, PNG_1X1, type FixtureInstallation } from '../../test/support/integrity-installation.ts';
import { approveInstallation, integritySubject, recordFirstBaseline, verifyInstallation, type IntegritySubject, type VerifyOutcome } from './check-integrity.ts';
import { integrityPaths, readIntegrityKey, readManifest, writeManifest } from './manifest-store.ts';
import { packageOf } from './install-tree.ts';
import { describeFinding } from './compare-manifest.ts';

let fx: FixtureInstallation;
let subject: IntegritySubject;
let db: Kysely<any>;
const clock = () => new Date('2026-12-01T00:00:00Z');

async function baseline(s: IntegritySubject = subject) {
  const first = await recordFirstBaseline(s, 'approved', 'test', db);
  if (!first.ok) throw new Error(first.detail);
  return first.manifest;
}

function findingsOf(v: VerifyOutcome) {
  if (v.outcome !== 'changed' && v.outcome !== 'clean') throw new Error(`expected a comparison, got ${v.outcome}: ${JSON.stringify(v)}`);
  return v.comparison.findings;
}

beforeEach(() => {
  fx = createFixtureInstallation();
  subject = integritySubject(fx.config(), clock);
});
afterEach(() => fx.dispose());

describeEachDatabase('integrity verify', (database) => {
  let t: MigratedTestDatabase;
  beforeEach(async () => {
    t = await openMigratedDatabase(database);
    db = t.db;
  });
  afterEach(async () => t.dispose());

  it('has nothing to compare with before a baseline (exit 2 territory), then finds an untouched tree clean every time', async () => {
    expect((await verifyInstallation(subject)).outcome).toBe('no-baseline');
    const manifest = await baseline();
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['src/app.ts', 'public/favicon.png', 'bin/mamori.js', 'package.json', 'package-lock.json', 'node_modules/left-pad/index.js', 'node_modules/@scope/widget/lib/index.js']));
    expect(manifest.files['node_modules/.bin/left-pad']).toBe('link:../left-pad/index.js');
    expect(Object.keys(manifest.files).some((f) => f.includes('.vite'))).toBe(false);
    expect(Object.keys(manifest.packages).sort()).toEqual(['.bin', '@scope/widget', 'left-pad']);
    for (let i = 0; i < 5; i++) expect((await verifyInstallation(subject)).outcome).toBe('clean');
  });

  it('stores the manifest 0600 in DATA_DIR and the key 0600 apart from it', async () => {
    await baseline();
    const paths = integrityPaths(subject.config);
    expect(path.dirname(paths.manifestFile)).toBe(fx.dataDir);
    expect(paths.keyFile).toBe(fx.keyFile);
    expect(readFileSync(paths.keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(paths.manifestFile).mode & 0o777).toBe(0o600);
    expect(statSync(paths.keyFile).mode & 0o777).toBe(0o600);
  });

  it('lists a changed, an added and a removed file, with the package of a node_modules file', async () => {
    await baseline();
    fx.write('src/checkout/checkout-page.tsx', 'export const CheckoutPage = () => "pay" + skim();\n');
    fx.write('src/evil.ts', 'fetch("https://evil.example")\n');
    rmSync(path.join(fx.root, 'platform/card-number-detector.ts'));
    fx.write('node_modules/@scope/widget/lib/index.js', 'export default 2;\n');
    const v = await verifyInstallation(subject);
    expect(v.outcome).toBe('changed');
    expect(findingsOf(v)).toEqual(expect.arrayContaining([
      { kind: 'changed', path: 'src/checkout/checkout-page.tsx', pausesCheckout: true },
      { kind: 'added', path: 'src/evil.ts', pausesCheckout: true },
      { kind: 'removed', path: 'platform/card-number-detector.ts', pausesCheckout: true },
      { kind: 'changed', path: 'node_modules/@scope/widget/lib/index.js', package: '@scope/widget', pausesCheckout: true },
    ]));
    expect(findingsOf(v)).toHaveLength(4);
  });

  it('quick mode reads no unchanged file, yet sees a same-size rewrite whose mtime was set back', async () => {
    const file = path.join(fx.root, 'node_modules/left-pad/index.js');
    utimesSync(file, 1_700_000_000, 1_700_000_000); // a whole second, so setting it back is exact
    await baseline();
    const untouched = await verifyInstallation(subject, { quick: true });
    expect(untouched.outcome).toBe('clean');
    expect(untouched.outcome === 'clean' && untouched.filesRead).toBe(1); // the media file only: media is always read
    const before = statSync(file);
    const original = readFileSync(file, 'utf8');
    const tampered = original.replace('(s) => s', '(s) => x'); // same length
    expect(tampered.length).toBe(original.length);
    writeFileSync(file, tampered);
    utimesSync(file, 1_700_000_000, 1_700_000_000); // what `touch -r` does to hide it
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(file).size).toBe(before.size);
    expect(findingsOf(await verifyInstallation(subject, { quick: true }))).toEqual([{ kind: 'changed', path: 'node_modules/left-pad/index.js', package: 'left-pad', pausesCheckout: true }]);
  });

  it('does not pause checkout for a change to a CLI-only file or a README (still listed)', async () => {
    await baseline();
    fx.write('src/cli/mamori.ts', 'export const cli = 2;\n');
    fx.write('src/README.md', '# changed\n');
    const findings = findingsOf(await verifyInstallation(subject));
    expect(findings).toHaveLength(2);
    expect(findings.every((f) => !f.pausesCheckout)).toBe(true);
  });

  it('still detects a tampered file when the intruder also rewrote the manifest to match', async () => {
    await baseline();
    const paths = integrityPaths(subject.config);
    fx.write('src/app.ts', 'export const app = "backdoor";\n');
    // The intruder updates the manifest entry for the file and keeps the old header…
    const text = readFileSync(paths.manifestFile, 'utf8');
    const [header, body] = [text.slice(0, text.indexOf('\n')), text.slice(text.indexOf('\n') + 1)];
    const manifest = JSON.parse(body);
    const { createHash } = await import('node:crypto');
    manifest.files['src/app.ts'] = `sha256:${createHash('sha256').update('export const app = "backdoor";\n').digest('hex')}`;
    const forgedBody = JSON.stringify(manifest);
    writeFileSync(paths.manifestFile, `${header}\n${forgedBody}`);
    let v = await verifyInstallation(subject);
    expect(v).toMatchObject({ outcome: 'tampered', problem: 'BAD_HMAC' });
    // …or computes a fresh HMAC with a key of their own.
    writeFileSync(paths.manifestFile, `mamori-integrity/1 hmac-sha256=${createHmac('sha256', Buffer.alloc(32, 7)).update(forgedBody).digest('hex')}\n${forgedBody}`);
    v = await verifyInstallation(subject);
    expect(v).toMatchObject({ outcome: 'tampered', problem: 'BAD_HMAC' });
    // …or deletes the manifest, hoping the shop records a new one on trust.
    rmSync(paths.manifestFile);
    v = await verifyInstallation(subject);
    expect(v).toMatchObject({ outcome: 'tampered', problem: 'NO_MANIFEST' });
    expect(await recordFirstBaseline(subject, 'trust-on-first-use', 'system:integrity', db)).toMatchObject({ ok: false, error: 'BASELINE_EXISTS' });
  });

  it('reports new non-image files in public/ as possible web shells whatever their name; a real PNG is fine', async () => {
    await baseline();
    fx.write('public/shell.php', '<?php system($_GET["c"]); ?>');
    fx.write('public/x.jpg', '<script>fetch("/checkout")</script>');
    fx.write('public/.htaccess', 'AddType application/x-httpd-php .jpg\n');
    fx.write('public/logo.png', PNG_1X1);
    const findings = findingsOf(await verifyInstallation(subject));
    expect(findings.filter((f) => f.kind === 'web-shell').map((f) => f.path).sort()).toEqual(['public/.htaccess', 'public/shell.php', 'public/x.jpg']);
    // The PNG is a new file of the installation (approve it with the deploy), not a web shell.
    expect(findings).toContainEqual({ kind: 'added', path: 'public/logo.png', pausesCheckout: true });
  });

  it('accepts valid image uploads in DATA_DIR/media after the baseline and flags anything else there', async () => {
    await baseline();
    fx.writeMedia('uploads/0123abcd.png', PNG_1X1);
    fx.writeMedia('uploads/ffd8.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64)]));
    let v = await verifyInstallation(subject);
    expect(v.outcome).toBe('clean');
    expect(v.outcome === 'clean' && v.comparison.uploads.sort()).toEqual(['media/uploads/0123abcd.png', 'media/uploads/ffd8.jpg']);

    fx.writeMedia('uploads/shell.php', '<?php eval($_POST["x"]);');
    fx.writeMedia('uploads/x.jpg', '<?php eval($_POST["x"]);');
    // A polyglot: a JPEG header, then PHP.
    fx.writeMedia('uploads/poly.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<?php system($_GET[1]); ?>')]));
    // A real PNG under a name the web server would run or serve as HTML.
    fx.writeMedia('uploads/pic.php', PNG_1X1);
    fx.writeMedia('.htaccess', 'Options +ExecCGI\n');
    // A baselined file rewritten with script.
    fx.writeMedia('demo/tea-1.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    v = await verifyInstallation(subject);
    expect(v.outcome).toBe('changed');
    const shells = findingsOf(v).filter((f) => f.kind === 'web-shell');
    expect(Object.fromEntries(shells.map((f) => [f.path, f.kind === 'web-shell' ? f.reason : '']))).toEqual({
      'media/.htaccess': 'not-an-image',
      'media/demo/tea-1.svg': 'not-an-image',
      'media/uploads/pic.php': 'name-not-image',
      'media/uploads/poly.jpg': 'script-in-image',
      'media/uploads/shell.php': 'not-an-image',
      'media/uploads/x.jpg': 'not-an-image',
    });
    expect(findingsOf(v)).toHaveLength(6);
  });

  it('records settings without their secrets and sees a secret change by its fingerprint', async () => {
    const secret = 'whsec_do-not-store-this-value';
    const sk = 'sk_test_never-in-the-manifest-0123';
    const withSecrets = { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: sk, STRIPE_WEBHOOK_SECRET: secret, SMTP_URL: 'smtp://shop:mail-password-123@mail.example:587', ALERT_WEBHOOK_URL: 'https://hooks.example/T0/secret-token-path', ALERT_WEBHOOK_SECRET: 'x'.repeat(40) };
    subject = integritySubject(fx.config(withSecrets), clock);
    const manifest = await baseline();
    const stored = readFileSync(integrityPaths(subject.config).manifestFile, 'utf8');
    for (const value of [secret, sk, 'mail-password-123', 'secret-token-path', 'x'.repeat(40)]) expect(stored).not.toContain(value);
    expect(manifest.config['payment.provider']).toBe('"stripe"');
    expect(manifest.config['smtpUrl']).toMatch(/^smtp:\/\/_@mail\.example:587 \(secret-hmac:[0-9a-f]{32}\)$/);
    expect(manifest.config['payment.stripe.webhookSecret']).toMatch(/^secret-hmac:/);
    expect(Object.keys(manifest.config).filter((k) => k.startsWith('terminal.'))).toEqual([]); // a CLI shell's NO_COLOR is no change

    subject = integritySubject(fx.config({ ...withSecrets, STRIPE_WEBHOOK_SECRET: 'whsec_rotated-by-someone', PAYGATE_URL: 'https://pay.evil.example' }), clock);
    const findings = findingsOf(await verifyInstallation(subject));
    expect(findings.map((f) => (f.kind === 'config-changed' ? [f.setting, f.pausesCheckout] : f.kind))).toEqual([
      ['payment.paygateUrl', true], ['payment.paygateUrlConfigured', true], ['payment.stripe.webhookSecret', true],
    ]);
    expect(JSON.stringify(findings)).not.toContain('rotated-by-someone');
  });

  it('treats a deleted key and manifest as tampering once the database has integrity history, never as a fresh baseline', async () => {
    expect((await verifyInstallation(subject, { db })).outcome).toBe('no-baseline'); // a new shop: trust on first use is allowed
    await baseline();
    fx.write('src/checkout/checkout-page.tsx', 'export const CheckoutPage = () => "pay" + skim();\n');
    rmSync(integrityPaths(subject.config).manifestFile);
    rmSync(fx.keyFile);
    expect(await verifyInstallation(subject, { db })).toMatchObject({ outcome: 'tampered', problem: 'BASELINE_GONE' });
    expect(await recordFirstBaseline(subject, 'trust-on-first-use', 'system:integrity', db)).toMatchObject({ ok: false, error: 'BASELINE_EXISTS' });
    expect(readIntegrityKey(integrityPaths(subject.config))).toBeUndefined(); // no new key, no new manifest
  });

  it('stores the manifest SHA-256 in the audit log and catches a forged manifest re-signed with the stolen key', async () => {
    const manifest = await baseline();
    const paths = integrityPaths(subject.config);
    const [entry] = await db.selectFrom('audit_log').select('after_json').where('action', '=', 'integrity.baseline_recorded').execute() as { after_json: string }[];
    expect(JSON.parse(entry!.after_json).manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await verifyInstallation(subject, { db })).outcome).toBe('clean');

    const backdoor = 'export const app = "backdoor";\n';
    fx.write('src/app.ts', backdoor);
    const { createHash } = await import('node:crypto');
    const key = readIntegrityKey(paths)!;
    writeManifest(paths, key, { ...manifest, files: { ...manifest.files, 'src/app.ts': `sha256:${createHash('sha256').update(backdoor).digest('hex')}` } });
    expect(readManifest(paths, key).ok).toBe(true); // the HMAC verifies: the key alone cannot tell
    expect((await verifyInstallation(subject)).outcome).toBe('clean');
    expect(await verifyInstallation(subject, { db })).toMatchObject({ outcome: 'tampered', problem: 'NOT_APPROVED' });
    expect(await verifyInstallation(subject, { db, quick: true })).toMatchObject({ outcome: 'tampered', problem: 'NOT_APPROVED' });

    // An audited approval makes the new manifest the approved one.
    expect((await approveInstallation(db, subject, { id: 'cli:owner' })).ok).toBe(true);
    expect((await verifyInstallation(subject, { db })).outcome).toBe('clean');
  });

  it('reports every symbolic link in public/ and DATA_DIR/media as a possible web shell, at the baseline too, and never follows it', async () => {
    symlinkSync('favicon.png', path.join(fx.root, 'public/logo.png')); // a link to an image, present at the baseline
    await baseline();
    let shells = findingsOf(await verifyInstallation(subject)).filter((f) => f.kind === 'web-shell');
    expect(shells).toEqual([{ kind: 'web-shell', path: 'public/logo.png', reason: 'link', pausesCheckout: true }]);

    rmSync(path.join(fx.root, 'public/logo.png'));
    fx.write('src/shell.php', '<?php system($_GET["c"]); ?>');
    symlinkSync('../src/shell.php', path.join(fx.root, 'public/logo.png')); // retargeted at a script
    symlinkSync(path.join(fx.root, 'src/shell.php'), path.join(fx.dataDir, 'media/demo/tea-2.png'));
    mkdirSync(path.join(fx.dataDir, 'elsewhere'));
    symlinkSync(path.join(fx.dataDir, 'elsewhere'), path.join(fx.dataDir, 'media/uploads'));
    shells = findingsOf(await verifyInstallation(subject)).filter((f) => f.kind === 'web-shell');
    expect(shells.map((f) => [f.path, f.kind === 'web-shell' && f.reason]).sort()).toEqual([
      ['media/demo/tea-2.png', 'link'], ['media/uploads', 'link'], ['public/logo.png', 'link'],
    ]);

    // The served folder itself as a link is not followed either.
    rmSync(path.join(fx.root, 'public'), { recursive: true });
    mkdirSync(path.join(fx.root, 'elsewhere-public'));
    symlinkSync('elsewhere-public', path.join(fx.root, 'public'));
    rmSync(path.join(fx.dataDir, 'media'), { recursive: true });
    symlinkSync(path.join(fx.dataDir, 'elsewhere'), path.join(fx.dataDir, 'media'));
    shells = findingsOf(await verifyInstallation(subject)).filter((f) => f.kind === 'web-shell');
    expect(shells.map((f) => f.path).sort()).toEqual(['media', 'public']);
  });

  it('keeps secrets in URL query strings, userinfo and fragments out of the manifest and its findings', async () => {
    const secrets = { DATABASE_URL: path.join(fx.dataDir, 'shop.sqlite'), SMTP_URL: 'smtp://mail.example:587/?pass=query-pass-1&user=shop', PAYGATE_URL: 'https://pay.example/gw?token=query-token-2#frag-secret-3', ALERT_WEBHOOK_URL: 'https://hooks.example/in?token=hook-token-4', ALERT_WEBHOOK_SECRET: 'y'.repeat(40) };
    subject = integritySubject(fx.config(secrets), clock);
    const manifest = await baseline();
    const stored = readFileSync(integrityPaths(subject.config).manifestFile, 'utf8');
    for (const value of ['query-pass-1', 'query-token-2', 'frag-secret-3', 'hook-token-4']) expect(stored).not.toContain(value);
    expect(manifest.config['smtpUrl']).toMatch(/^smtp:\/\/mail\.example:587\/ \(secret-hmac:[0-9a-f]{32}\)$/);
    expect(manifest.config['payment.paygateUrl']).toMatch(/^https:\/\/pay\.example\/gw \(secret-hmac:[0-9a-f]{32}\)$/);
    expect(manifest.config['alerts.webhook.url']).toMatch(/^secret-hmac:/);
    const pgUrl = integritySubject(fx.config({ ...secrets, DATABASE_URL: 'postgres://u:pw-in-userinfo@db.example/shop?password=pw-in-query' }), clock);
    expect(JSON.stringify((await import('./effective-config.ts')).effectiveConfig(pgUrl.config, Buffer.alloc(32, 1)))).not.toMatch(/pw-in-/);

    // A rotated query secret is seen (fingerprint), and what the page shows holds neither value.
    subject = integritySubject(fx.config({ ...secrets, SMTP_URL: 'smtp://mail.example:587/?pass=rotated-pass-5&user=shop' }), clock);
    let findings = findingsOf(await verifyInstallation(subject, { db }));
    expect(findings.map((f) => f.kind === 'config-changed' && f.setting)).toEqual(['smtpUrl']);
    expect(JSON.stringify(findings)).not.toMatch(/query-pass-1|rotated-pass-5/);

    // A manifest written before this fix held the query in clear: compared and shown fingerprinted.
    const key = readIntegrityKey(integrityPaths(subject.config))!;
    writeManifest(integrityPaths(subject.config), key, { ...manifest, config: { ...manifest.config, smtpUrl: JSON.stringify('smtp://mail.example:587/?pass=legacy-pass-6&user=shop') } });
    findings = findingsOf(await verifyInstallation(subject));
    expect(findings.map((f) => f.kind === 'config-changed' && f.setting)).toEqual(['smtpUrl']);
    expect(findings.map(describeFinding).join('\n')).not.toMatch(/legacy-pass-6|rotated-pass-5/);
  });

  it('refuses a key file other users can read, and a key kept inside DATA_DIR', async () => {
    await baseline();
    chmodSync(fx.keyFile, 0o644);
    expect(await verifyInstallation(subject)).toMatchObject({ outcome: 'failed', error: 'KEY_REFUSED', detail: expect.stringContaining('chmod 600') });
    chmodSync(fx.keyFile, 0o600);
    expect((await verifyInstallation(subject)).outcome).toBe('clean');

    const inData = integritySubject(fx.config({ INTEGRITY_KEY_FILE: path.join(fx.dataDir, 'integrity.key') }), clock);
    expect(await verifyInstallation(inData)).toMatchObject({ outcome: 'failed', error: 'KEY_REFUSED', detail: expect.stringContaining('inside DATA_DIR') });
    rmSync(integrityPaths(subject.config).manifestFile);
    expect(await recordFirstBaseline(inData, 'approved', 'test', db)).toMatchObject({ ok: false, error: 'KEY_REFUSED' });
  });

  it('cannot check (not clean) when the manifest is there but its key is gone', async () => {
    await baseline();
    rmSync(fx.keyFile);
    expect(await verifyInstallation(subject)).toMatchObject({ outcome: 'failed', error: 'KEY_MISSING' });
  });
});

describe('packageOf', () => {
  it('names the package of a node_modules file, nested copies by their path', () => {
    expect(packageOf('node_modules/left-pad/index.js')).toBe('left-pad');
    expect(packageOf('node_modules/@scope/widget/lib/index.js')).toBe('@scope/widget');
    expect(packageOf('node_modules/a/node_modules/@s/b/x.js')).toBe('a/node_modules/@s/b');
    expect(packageOf('src/app.ts')).toBeUndefined();
  });
});
