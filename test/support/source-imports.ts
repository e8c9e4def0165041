// What a source file pulls in at run time, read from its text: the structural tests (import
// boundaries, the production dependency closure) walk the tree with this instead of a bundler.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The folders whose code runs in production (`npm start`, the `mamori` bin, the npm scripts). */
export const SHIPPED_DIRS = ['src', 'paygate', 'platform', 'bin', 'scripts'] as const;

/** Source files under `dir` (relative to the repository), test files excluded unless asked for. */
export function sourceFiles(dir: string, opts: { tests?: boolean } = {}): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|mts|js|mjs)$/.test(f) && (opts.tests || !/\.test\.tsx?$/.test(f)))
    .map((f) => path.join(dir, f));
}

/**
 * Module specifiers a file loads when it runs: static and dynamic imports, re-exports, require and
 * require.resolve, and `--import <module>` passed to a spawned Node. `import type` / `export type`
 * are erased by the compiler and left out.
 */
export function runtimeSpecifiers(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)(?!\s+type\b)[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g,
    /['"]--import['"]\s*,\s*['"]([^'"]+)['"]/g,
  ];
  return patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
}

/** Relative imports of a file, resolved to repository-relative paths. */
export function relativeImports(file: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return runtimeSpecifiers(text).concat([...text.matchAll(/^\s*(?:import|export)\s+type\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!))
    .filter((s) => s.startsWith('.'))
    .map((s) => path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.dirname(file), s)));
}

/** The npm package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for builtins and paths. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? null : name;
}
