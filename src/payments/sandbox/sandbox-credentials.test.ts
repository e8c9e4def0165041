import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSandboxCredentials } from './sandbox-credentials.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-creds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readSandboxCredentials', () => {
  it('reads a valid file', () => {
    const file = path.join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ merchantId: 'mch_1', secret: 's'.repeat(40), gatewayBaseUrl: 'http://127.0.0.1:3100' }));
    expect(readSandboxCredentials(file)).toEqual({ ok: true, value: { merchantId: 'mch_1', secret: 's'.repeat(40), gatewayBaseUrl: 'http://127.0.0.1:3100' } });
  });
  it('reports a missing or malformed file as a value, never throws', () => {
    expect(readSandboxCredentials(path.join(dir, 'none.json'))).toMatchObject({ ok: false, error: 'MISSING' });
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"merchantId":1}');
    expect(readSandboxCredentials(bad)).toMatchObject({ ok: false, error: 'MALFORMED' });
    writeFileSync(bad, 'not json');
    expect(readSandboxCredentials(bad)).toMatchObject({ ok: false, error: 'MALFORMED' });
  });
});
