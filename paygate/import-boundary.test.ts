// The structural promise: card handling has exactly one home. The gateway imports
// nothing from the shop and the shop nothing from the gateway; both may use platform/.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts|js|mjs)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

function importedPaths(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return specs.filter((s) => s.startsWith('.')).map((s) => path.relative(root, path.resolve(path.dirname(file), s)));
}

function crossings(fromDir: string, forbiddenDir: string): string[] {
  return sourceFiles(fromDir).flatMap((f) => importedPaths(f).filter((p) => p === forbiddenDir || p.startsWith(`${forbiddenDir}${path.sep}`)).map((p) => `${path.relative(root, f)} → ${p}`));
}

describe('import boundary between the shop and the gateway', () => {
  it('paygate/ imports nothing from src/', () => {
    expect(crossings('paygate', 'src')).toEqual([]);
  });
  it('src/ imports nothing from paygate/', () => {
    expect(crossings('src', 'paygate')).toEqual([]);
  });
  it('platform/ imports from neither', () => {
    expect([...crossings('platform', 'src'), ...crossings('platform', 'paygate')]).toEqual([]);
  });
  it('the check itself sees imports (sanity)', () => {
    expect(importedPaths(path.join(root, 'paygate', 'server.ts'))).toContain(path.join('platform', 'create-logger.ts'));
  });
});
