// Test support never ships: nothing that runs in production (src/, paygate/, platform/, bin/,
// scripts/) may import from test/ — not even types. Helpers that fake servers or switch off the
// audit log's append-only triggers live there precisely so that production cannot reach them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { relativeImports, SHIPPED_DIRS, sourceFiles } from './support/source-imports.ts';

function importsOfTestSupport(dir: string): string[] {
  return sourceFiles(dir).flatMap((f) => relativeImports(f).filter((p) => p === 'test' || p.startsWith(`test${path.sep}`)).map((p) => `${f} → ${p}`));
}

describe('shipped code never imports test support', () => {
  for (const dir of SHIPPED_DIRS) {
    it(`${dir}/ imports nothing from test/`, () => {
      expect(sourceFiles(dir).length).toBeGreaterThan(0);
      expect(importsOfTestSupport(dir)).toEqual([]);
    });
  }
  it('the check sees imports of test/ where they are allowed (sanity)', () => {
    // Test files are not shipped and do import test support: the same walk must find those.
    const fromTests = sourceFiles('src', { tests: true }).filter((f) => f.endsWith('.test.ts'))
      .flatMap((f) => relativeImports(f)).filter((p) => p.startsWith(`test${path.sep}`));
    expect(fromTests).toContain(path.join('test', 'support', 'databases.ts'));
  });
});
