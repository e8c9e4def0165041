#!/usr/bin/env node
// Installed `mamori` bin: registers tsx so the TypeScript sources run as they are.
import { register } from 'tsx/esm/api';
register();
const { runAsProcess } = await import('../src/cli/mamori.ts');
runAsProcess();
