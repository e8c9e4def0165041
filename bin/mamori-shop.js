#!/usr/bin/env node
// `npm start`: the shop (src/main.ts) compiled (dist/, `npm run build`) with plain node when the
// build is current; otherwise the sources through tsx, as in development (`npm run dev`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsCurrent } from './build-freshness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (distIsCurrent(root)) {
  await import('../dist/src/main.js');
} else {
  process.stderr.write('mamori: dist/ missing or older than the sources: running them with tsx (`npm run build` for the compiled start)\n');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
