// Debian's Chromium driven by playwright-core, for the browser tests of both systems.
// Never a downloaded browser build: this machine has no internet and CI installs `chromium` from apt.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchHeadlessChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

export type BrowserSuiteDecision = 'run' | 'skip' | 'fail';

/**
 * Whether a browser suite runs. Without Chromium a developer's machine skips with a notice, but CI
 * fails: the browser tests carry security proofs (no card data reaches the shop), and a proof that
 * silently skips would let CI pass without checking anything.
 */
export function browserSuiteDecision(env: { chromiumPresent: boolean; ci: boolean }): BrowserSuiteDecision {
  if (env.chromiumPresent) return 'run';
  return env.ci ? 'fail' : 'skip';
}

/** CI services set CI=true (some CI=1); an empty value, "0" or "false" is a developer's machine. */
export function isCi(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** `describe` for a suite that needs Chromium: runs it, skips it with a notice, or (under CI) fails in its place. */
export function describeWithChromium(name: string, suite: () => void): void {
  const decision = browserSuiteDecision({ chromiumPresent: chromiumAvailable(), ci: isCi(process.env.CI) });
  if (decision === 'run') {
    describe(name, suite);
  } else if (decision === 'skip') {
    console.warn(`${name}: skipped, ${CHROMIUM_PATH} not found (apt-get install chromium; under CI=true this fails)`);
    describe.skip(name, suite);
  } else {
    describe(name, () => {
      it('has Chromium to run in', () => {
        throw new Error(`${CHROMIUM_PATH} not found and CI is set: browser proofs must run in CI (apt-get install chromium, or set CHROMIUM_PATH)`);
      });
    });
  }
}
