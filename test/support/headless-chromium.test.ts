// The guard that keeps the browser proofs from passing CI by skipping: without Chromium they
// skip on a developer's machine and fail under CI. Every browser suite must go through it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserSuiteDecision, isCi } from './headless-chromium.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('browser suite guard', () => {
  it('fails, not skips, when Chromium is missing under CI', () => {
    expect(browserSuiteDecision({ chromiumPresent: false, ci: true })).toBe('fail');
  });
  it('skips when Chromium is missing outside CI, and runs whenever Chromium is present', () => {
    expect(browserSuiteDecision({ chromiumPresent: false, ci: false })).toBe('skip');
    expect(browserSuiteDecision({ chromiumPresent: true, ci: true })).toBe('run');
    expect(browserSuiteDecision({ chromiumPresent: true, ci: false })).toBe('run');
  });
  it('reads CI the way CI services set it', () => {
    expect([isCi('true'), isCi('1'), isCi('TRUE')]).toEqual([true, true, true]);
    expect([isCi(undefined), isCi(''), isCi('0'), isCi('false')]).toEqual([false, false, false, false]);
  });
  it('every browser test file uses the guard, none skips on its own', () => {
    const files = ['test/browser', 'paygate'].flatMap((dir) =>
      readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.browser.test.ts')).map((f) => path.join(dir, f)));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const unguarded = files.filter((f) => {
      const text = readFileSync(path.join(root, f), 'utf8').replace(/^import .*$/gm, '');
      return !/\bdescribeWithChromium\b/.test(text) || /skipIf\(\s*!chromiumAvailable|chromiumAvailable\(\)\s*\?/.test(text);
    });
    expect(unguarded).toEqual([]);
  });
});
