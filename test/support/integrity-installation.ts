// A small installation tree for the integrity tests (never the real repository): own code, a
// CLI file, public files, node_modules with a scoped package and a .bin link, package files; a
// DATA_DIR with media; the key in a third folder, apart from DATA_DIR.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type ShopConfig } from '../../src/config/config.ts';

/** A real 1×1 PNG. */
export const PNG_1X1 = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

export interface FixtureInstallation {
  root: string;
  dataDir: string;
  keyFile: string;
  env: Record<string, string>;
  config(extra?: Record<string, string>): ShopConfig;
  write(relative: string, content: string | Buffer): void;
  writeMedia(relative: string, content: string | Buffer): void;
  dispose(): void;
}

export function createFixtureInstallation(opts: { dataDir?: string } = {}): FixtureInstallation {
  const base = mkdtempSync(path.join(tmpdir(), 'mamori-integrity-'));
  const root = path.join(base, 'install');
  const dataDir = opts.dataDir ?? path.join(base, 'data');
  const keyDir = path.join(base, 'keys');
  const write = (relative: string, content: string | Buffer) => {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  const writeMedia = (relative: string, content: string | Buffer) => {
    const file = path.join(dataDir, 'media', relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  write('src/app.ts', 'export const app = 1;\n');
  write('src/checkout/checkout-page.tsx', 'export const CheckoutPage = () => "pay";\n');
  write('src/cli/mamori.ts', 'export const cli = 1;\n');
  write('src/README.md', '# src\n');
  write('paygate/main.ts', 'export {};\n');
  write('platform/card-number-detector.ts', 'export {};\n');
  write('public/shop.css', 'body { margin: 0 }\n');
  write('public/favicon.png', PNG_1X1);
  write('bin/mamori.js', '#!/usr/bin/env node\n');
  write('package.json', '{"name":"fixture","version":"1.0.0"}\n');
  write('package-lock.json', '{"lockfileVersion":3}\n');
  write('node_modules/left-pad/package.json', '{"name":"left-pad","version":"1.3.0"}\n');
  write('node_modules/left-pad/index.js', 'module.exports = (s) => s;\n');
  write('node_modules/@scope/widget/package.json', '{"name":"@scope/widget"}\n');
  write('node_modules/@scope/widget/lib/index.js', 'export default 1;\n');
  write('node_modules/.vite/results.json', '{}\n');
  // vite's temporary bundled config (written and deleted by every vitest run on a shared tree).
  write('node_modules/.vite-temp/vitest.config.ts.timestamp-1-abc.mjs', 'export default {}\n');
  mkdirSync(path.join(root, 'node_modules/.bin'), { recursive: true });
  symlinkSync('../left-pad/index.js', path.join(root, 'node_modules/.bin/left-pad'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  writeMedia('demo/tea-1.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const keyFile = path.join(keyDir, 'integrity.key');
  const env = { DATA_DIR: dataDir, INTEGRITY_ROOT: root, INTEGRITY_KEY_FILE: keyFile, LOG_LEVEL: 'silent' };
  return {
    root, dataDir, keyFile, env, write, writeMedia,
    config(extra = {}) {
      const loaded = loadConfig({ ...env, ...extra });
      if (!loaded.ok) throw new Error(loaded.errors.join('; '));
      return loaded.config;
    },
    dispose() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}
