#!/usr/bin/env node
// Installed `mamori` bin: registers tsx so the TypeScript sources run as they are.
import { register } from 'tsx/esm/api';
register();
process.env.MAMORI_CLI_MAIN = '1';
await import('../src/cli/mamori.ts');
