#!/usr/bin/env node
// Installed `mamori` bin: runs the compiled CLI (dist/, `npm run build`) when it is current, with
// plain node (start-up ~0.1 s); otherwise registers tsx so the TypeScript sources run as they are.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsCurrent } from './build-freshness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (distIsCurrent(root)) {
  const { runAsProcess } = await import('../dist/src/cli/mamori.js');
  runAsProcess();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { runAsProcess } = await import('../src/cli/mamori.ts');
  runAsProcess();
}
