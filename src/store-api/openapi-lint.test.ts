// The Store API's OpenAPI document passes @redocly/cli's recommended rules with no error and no
// warning, run offline on the document the shop serves. Two operations have no client error to
// describe — GET /api/store/categories takes nothing it could refuse, GET /healthz is the
// load balancer's probe — so operation-4xx-response is waived for exactly those two, by
// Redocly's own ignore file; every other rule and operation is checked.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'mamori-openapi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NO_CLIENT_ERROR = ['#/paths/~1api~1store~1categories/get/responses', '#/paths/~1healthz/get/responses'];

it('lints clean with the recommended rules of @redocly/cli', async () => {
  writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(buildOpenApiDocument('http://127.0.0.1:3000'), null, 2));
  writeFileSync(path.join(dir, '.redocly.lint-ignore.yaml'), `openapi.json:\n  operation-4xx-response:\n${NO_CLIENT_ERROR.map((p) => `    - '${p}'`).join('\n')}\n`);
  const cli = path.join(process.cwd(), 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  let out: { stdout: string; stderr: string };
  try {
    out = await run(process.execPath, [cli, 'lint', 'openapi.json', '--format=stylish'], {
      cwd: dir, timeout: 60_000,
      // No telemetry and no update check: the linter must not reach the network.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`redocly lint failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  const text = `${out.stdout}\n${out.stderr}`;
  expect(text).not.toMatch(/\b(error|warning)\b\s+\S/);
  expect(text).toMatch(/Woohoo! Your API description is valid/);
}, 90_000);
