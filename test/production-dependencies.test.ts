// `npm ci --omit=dev && npm start` must work: everything shipped code loads at run time, the tool
// the production scripts run (tsx) and the pinned Node must come from `dependencies`, and the lock
// must agree (npm ci --omit=dev drops every lock entry marked dev). A static check of package.json
// and package-lock.json, not a second install.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageOf, REPO_ROOT, runtimeSpecifiers, SHIPPED_DIRS, sourceFiles } from './support/source-imports.ts';

interface PackageJson {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
interface PackageLock { packages: Record<string, { dev?: boolean; bin?: Record<string, string> }> }

const readJson = <T,>(file: string): T => JSON.parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as T;

/** The npm scripts a production install runs; the rest (test, typecheck, bench, screenshots…) are for development. */
const PRODUCTION_SCRIPTS = ['start', 'mamori', 'paygate', 'audit:verify', 'admin:create'];

/** Package → why production needs it. */
function runtimeNeeds(pkg: PackageJson, lock: PackageLock): Map<string, string> {
  const needs = new Map<string, string>();
  for (const dir of SHIPPED_DIRS) {
    for (const file of sourceFiles(dir)) {
      for (const spec of runtimeSpecifiers(readFileSync(path.join(REPO_ROOT, file), 'utf8'))) {
        const name = packageOf(spec);
        if (name && !needs.has(name)) needs.set(name, `imported by ${file}`);
      }
      // The automatic JSX runtime is imported by the compiled output, not by the source text.
      if (file.endsWith('.tsx') && !needs.has(JSX_IMPORT_SOURCE)) needs.set(JSX_IMPORT_SOURCE, `JSX runtime of ${file}`);
    }
  }
  const bins = new Map(Object.entries(lock.packages).flatMap(([where, p]) => Object.keys(p.bin ?? {}).map((b) => [b, where.replace(/^.*node_modules\//, '')] as const)));
  for (const script of PRODUCTION_SCRIPTS) {
    const command = pkg.scripts[script]?.split(/\s+/)[0];
    if (!command) throw new Error(`no npm script ${script}`);
    const provider = bins.get(command);
    if (provider && !needs.has(provider)) needs.set(provider, `runs npm run ${script}`);
  }
  // The Node pin: npm puts node_modules/.bin first on PATH, so this package decides which Node runs.
  needs.set('node', 'pins the Node that runs the shop (node_modules/.bin/node)');
  return needs;
}

const JSX_IMPORT_SOURCE = readJson<{ compilerOptions: { jsxImportSource: string } }>('tsconfig.json').compilerOptions.jsxImportSource;

function closureGaps(pkg: PackageJson, lock: PackageLock, needs: Map<string, string>): string[] {
  return [...needs].flatMap(([name, why]) => {
    if (!pkg.dependencies[name]) return [`${name} (${why}) is ${pkg.devDependencies[name] ? 'in devDependencies' : 'not declared'}`];
    if (lock.packages[`node_modules/${name}`]?.dev) return [`${name} (${why}) is marked dev in package-lock.json: run npm install --package-lock-only`];
    return [];
  });
}

describe('production dependency closure', () => {
  const pkg = readJson<PackageJson>('package.json');
  const lock = readJson<PackageLock>('package-lock.json');
  const needs = runtimeNeeds(pkg, lock);

  it('everything production loads or runs is in dependencies, and the lock agrees', () => {
    expect(closureGaps(pkg, lock, needs)).toEqual([]);
  });

  it('sees what production needs (sanity): framework, database drivers, JSX runtime, tsx for npm start and the bin', () => {
    expect([...needs.keys()]).toEqual(expect.arrayContaining(['fastify', 'kysely', 'better-sqlite3', 'pg', 'preact', 'tsx', 'node', 'is-my-node-vulnerable']));
    expect(needs.get('tsx')).toMatch(/bin\/mamori\.js|sandbox-gateway-process|npm run start/);
  });

  it('would catch tsx or the Node pin left in devDependencies, and a stale lock', () => {
    const { tsx, node, ...rest } = pkg.dependencies;
    const broken = { ...pkg, dependencies: rest, devDependencies: { ...pkg.devDependencies, tsx: tsx!, node: node! } };
    const before = new Set(closureGaps(pkg, lock, needs));
    const gaps = closureGaps(broken, lock, needs).filter((g) => !before.has(g));
    expect(gaps).toHaveLength(2);
    expect(gaps.join('\n')).toMatch(/^tsx .*in devDependencies/m);
    expect(gaps.join('\n')).toMatch(/^node .*in devDependencies/m);
    const staleLock = { packages: { ...lock.packages, 'node_modules/tsx': { ...lock.packages['node_modules/tsx'], dev: true } } };
    expect(closureGaps(pkg, staleLock, needs).filter((g) => !before.has(g))).toEqual([expect.stringMatching(/^tsx .*marked dev/)]);
  });

  it('runs production through the bin/ launchers: dist/ when built and current, else the sources through tsx', () => {
    // exec: npm's sh gives way to the shop, so a supervisor's SIGTERM to npm reaches it (test/instances/supervisor-signal.test.ts).
    expect(pkg.scripts.start).toBe('exec node bin/mamori-shop.js');
    expect(pkg.scripts.mamori).toBe('node bin/mamori.js');
    for (const launcher of ['bin/mamori-shop.js', 'bin/mamori.js']) {
      const text = readFileSync(path.join(REPO_ROOT, launcher), 'utf8');
      expect(text, launcher).toMatch(/distIsCurrent\(root\)/);
      expect(text, launcher).toContain("import('../dist/src/");
      // The fallback is why tsx stays a production dependency.
      expect(text, launcher).toContain("import('tsx/esm/api')");
    }
    // The build is a development step (tsc): never a production script, its tool never shipped.
    expect(PRODUCTION_SCRIPTS).not.toContain('build');
    expect(pkg.scripts.build).toMatch(/scripts\/build\.ts/);
    expect(pkg.dependencies.typescript).toBeUndefined();
  });

  it('keeps test-only packages out of dependencies', () => {
    for (const name of ['vitest', 'deb-version-compare', 'fast-check', 'typescript', 'axe-core', 'autocannon']) expect(pkg.dependencies[name], name).toBeUndefined();
  });
});
