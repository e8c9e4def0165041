// The JSON contract grows additively: a report written before issue 19's fields still validates,
// and the committed JSON Schema (scan-json.schema.json, for consumers outside TypeScript) is current.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ScanJsonContract } from './scan-json-contract.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const OLD_REPORT = {
  targets: [{
    url: 'https://shop.example/', verdict: 'fail',
    tls: {
      protocols: { SSLv3: false, 'TLSv1.0': true, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true },
      ciphers: { 'TLSv1.2': { accepted: [{ id: '0xc02f', name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', bits: 128, strength: 'strong', forwardSecrecy: true }], serverPreference: true } },
      certificate: null,
    },
    findings: [{ id: 'tls-tls10', title: 'TLS 1.0 accepted (early TLS)', severity: 'medium', cvss: 6.5, cve: ['CVE-2011-3389'], evidence: 'x', fix: 'y' }],
  }],
};

describe('scan JSON contract', () => {
  it('still accepts a report without the fields added later (DH groups, SSLv2 state, vulnerability probes, CT, CAA)', () => {
    expect(ScanJsonContract.safeParse(OLD_REPORT).error).toBeUndefined();
  });
  it('holds the new facts to their shape', () => {
    const bad = structuredClone(OLD_REPORT) as { targets: Array<{ tls: Record<string, unknown> }> };
    bad.targets[0]!.tls.sslv2State = { state: 'maybe', ciphers: [], forcedCipher: null, evidence: '' };
    expect(ScanJsonContract.safeParse(bad).success).toBe(false);
  });
  it('the committed JSON Schema matches the Zod contract', () => {
    const committed = JSON.parse(readFileSync(path.join(HERE, 'scan-json.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(ScanJsonContract, { io: 'input' }))));
  });
});
