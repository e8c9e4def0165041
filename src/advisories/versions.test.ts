import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compareDpkg, compareGeneric, compareOpenSsl, compareSemver, compareVersions, schemeFor } from './versions.ts';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const hasDpkg = spawnSync('dpkg', ['--version']).status === 0;

describe('OpenSSL version order (letter releases)', () => {
  // [a, b, expected sign of compare(a, b)]
  const table: Array<[string, string, -1 | 0 | 1]> = [
    ['1.0.1e', '1.0.1g', -1], // the Heartbleed case: 1.0.1e is NOT the latest
    ['1.0.1g', '1.0.2', -1],
    ['1.0.1e', '1.0.2', -1],
    ['1.0.1', '1.0.1a', -1],
    ['1.0.1f', '1.0.1g', -1],
    ['1.0.1z', '1.0.1za', -1], // after z comes za
    ['0.9.8zh', '0.9.8za', 1],
    ['0.9.8zh', '1.0.0', -1],
    ['1.0.2zg', '1.0.2zf', 1],
    ['1.0.2u', '1.0.2zg', -1],
    ['1.1.1t', '1.1.1w', -1],
    ['1.1.1w', '3.0.0', -1],
    ['3.0.0-alpha1', '3.0.0', -1],
    ['3.0.0-beta2', '3.0.0-alpha17', 1],
    ['3.0.13', '3.0.2', 1], // numeric, not lexical
    ['3.5.8', '3.5.8', 0],
    ['1.0.1e-fips', '1.0.1e', 0], // RHEL's build tag
    ['3.0.13+quic', '3.0.13', 0], // Node's quictls
    ['OpenSSL 1.0.1e', '1.0.1e', 0],
  ];
  it.each(table)('%s vs %s → %i', (a, b, want) => {
    expect(sign(compareOpenSsl(a, b))).toBe(want);
    expect(sign(compareOpenSsl(b, a))).toBe(-want || 0);
  });
  it('is chosen for generic/openssl', () => {
    expect(schemeFor('generic', 'openssl')).toBe('openssl');
    expect(sign(compareVersions('generic', 'OpenSSL', '1.0.1e', '1.0.1g'))).toBe(-1);
  });
});

describe('semver order (npm, Node.js)', () => {
  const table: Array<[string, string, -1 | 0 | 1]> = [
    ['7.5.1', '7.5.2', -1],
    ['7.5.2', '7.5.2', 0],
    ['1.2.10', '1.2.9', 1],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.beta', '1.0.0-beta', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['v24.21.0', '24.21.0', 0],
    ['0', '0.0.1', -1], // OSV's "introduced: 0"
    ['1.0.0+build.1', '1.0.0', 0], // build metadata does not order
  ];
  it.each(table)('%s vs %s → %i', (a, b, want) => {
    expect(sign(compareSemver(a, b))).toBe(want);
  });
});

// Debian policy order. Each row was checked with `dpkg --compare-versions` (and is again below when dpkg exists).
const DPKG_TABLE: Array<[string, string, -1 | 0 | 1]> = [
  ['1.0', '1.0a', -1],
  ['1.0~rc1', '1.0', -1], // ~ sorts before the empty string
  ['1.0~~', '1.0~', -1],
  ['1.0~', '1.0a', -1],
  ['1:1.0', '2.0', 1], // epoch wins
  ['0:1.0', '1.0', 0], // epoch 0 is no epoch
  ['10:1', '9:2', 1],
  ['1.0-1', '1.0-1~bpo1', 1],
  ['1.0+dfsg', '1.0', 1],
  ['1.0.1e-2+deb7u4', '1.0.1e-2+deb7u5', -1], // the Heartbleed fix in wheezy
  ['1.0.1e-2+deb7u5', '1.0.1e-2+deb7u5', 0],
  ['1.0.1e-2+deb7u18', '1.0.1e-2+deb7u5', 1], // numeric, not lexical
  ['3.0.11-1~deb12u2', '3.0.11-1', -1],
  ['2.36-9+deb12u4', '2.36-9+deb12u10', -1],
  ['1.2.3', '1.2.3.0', -1],
  ['1.0a', '1.0+', -1], // letters sort before non-letters
  ['1.0-1', '1.0-1.1', -1],
  ['1.0', '1.0-0', 0], // absent revision = "0"
  ['1', '1-2', -1], // deb-version-compare gets this wrong
  ['1.001', '1.1', 0], // leading zeros: deb-version-compare gets this wrong
  ['1.0-1ubuntu1', '1.0-1', 1],
  ['1.0.0~beta1+dfsg', '1.0.0~beta1', 1],
  ['7.88.1-10+deb12u8', '7.88.1-10+deb12u12', -1],
  ['1:2.38.1-5+deb12u3', '2.39', 1],
];

describe('dpkg version order', () => {
  it.each(DPKG_TABLE)('%s vs %s → %i', (a, b, want) => {
    expect(sign(compareDpkg(a, b))).toBe(want);
    expect(sign(compareDpkg(b, a))).toBe(-want || 0);
  });

  it.skipIf(!hasDpkg)('agrees with `dpkg --compare-versions` on the table', () => {
    for (const [a, b, want] of DPKG_TABLE) {
      const op = want < 0 ? 'lt' : want > 0 ? 'gt' : 'eq';
      expect(spawnSync('dpkg', ['--compare-versions', a, op, b]).status, `${a} ${op} ${b}`).toBe(0);
    }
  });

  it.skipIf(!hasDpkg)('agrees with `dpkg --compare-versions` on 400 random pairs', () => {
    const parts = ['0', '1', '2', '01', '10', 'a', 'b', 'Z', '~', '+', '.', '~rc1', '+dfsg', '.1', '-1', '-2', '+deb12u1', '~bpo'];
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const gen = () => {
      let s = String(rnd(3));
      for (let i = rnd(4); i > 0; i--) s += parts[rnd(parts.length)];
      if (rnd(5) === 0) s = `${rnd(3)}:${s}`;
      return s;
    };
    const pairs = Array.from({ length: 400 }, () => [gen(), gen()] as const);
    // one shell, one dpkg call per pair and operator: -1 / 0 / 1, or E for syntax dpkg rejects
    const script = pairs
      .map(([a, b]) => `if dpkg --compare-versions '${a}' lt '${b}' 2>/dev/null; then echo -1; elif dpkg --compare-versions '${a}' eq '${b}' 2>/dev/null; then echo 0; elif dpkg --compare-versions '${a}' gt '${b}' 2>/dev/null; then echo 1; else echo E; fi`)
      .join('\n');
    const out = execFileSync('bash', [], { input: script }).toString().trim().split('\n');
    let compared = 0;
    pairs.forEach(([a, b], i) => {
      if (out[i] === 'E') return;
      compared++;
      expect(String(sign(compareDpkg(a, b))), `${a} vs ${b}`).toBe(out[i]);
    });
    expect(compared).toBeGreaterThan(300);
  }, 180_000); // up to 1,200 dpkg processes: seconds on an idle machine, over 30 s on a busy one

  it('documents why deb-version-compare is not used: it disagrees with dpkg on leading zeros and absent revisions', () => {
    const debVersionCompare = createRequire(import.meta.url)('deb-version-compare') as (a: string, b: string) => number;
    expect(sign(debVersionCompare('1.001', '1.1'))).not.toBe(0); // dpkg: equal
    expect(sign(debVersionCompare('1', '1-2'))).not.toBe(-1); // dpkg: less
    // it does agree on the common cases
    expect(sign(debVersionCompare('1.0~rc1', '1.0'))).toBe(-1);
    expect(sign(debVersionCompare('1:1.0', '2.0'))).toBe(1);
  });
});

describe('generic order (banners: nginx, sqlite, postgresql)', () => {
  const table: Array<[string, string, -1 | 0 | 1]> = [
    ['1.18.0', '1.20.1', -1],
    ['1.9.9', '1.10.0', -1],
    ['15.19', '15.2', 1],
    ['3.45.1', '3.45.1', 0],
    ['2.4.49', '2.4.50', -1],
  ];
  it.each(table)('%s vs %s → %i', (a, b, want) => {
    expect(sign(compareGeneric(a, b))).toBe(want);
  });
});
