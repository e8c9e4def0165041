// ROBOT (Böck, Somorovsky, Young 2017: "Return Of Bleichenbacher's Oracle Threat"): a server whose
// answer to a ClientKeyExchange depends on whether the RSA-encrypted premaster secret was correctly
// PKCS #1 v1.5 padded is a decryption oracle. With enough queries an attacker decrypts recorded
// TLS_RSA_* sessions or signs with the server's key. The probe set is the paper's: five premaster
// blocks (one correct, four malformed in the ways the paper lists), each RSA-encrypted *without*
// padding (we build the padding ourselves, RSA_NO_PADDING) and sent in our own handshake, once
// followed by ChangeCipherSpec + Finished and once alone (the paper's shortened flow). A server
// that answers all five alike in both flows has no oracle an outside scanner can see.
import { constants, publicEncrypt, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { CONTENT_TYPE, tlsRecord } from './client-hello.ts';
import { cipherSuite, suitesForProtocol } from './cipher-suites.ts';
import type { ConnectionBudget } from './connection-budget.ts';
import { probeHandshake, type TlsEndpoint } from './tls-handshake-probe.ts';
import { PROTOCOL_VERSION, type TlsProtocol } from './tls-protocols.ts';

export const ROBOT_PROBES = ['correct', 'wrong-first-bytes', 'zero-in-wrong-position', 'no-zero-separator', 'wrong-premaster-version'] as const;
export type RobotProbe = (typeof ROBOT_PROBES)[number];
export type RobotFlow = 'with-ccs-finished' | 'key-exchange-only';

/**
 * How long the shortened flow waits for an answer. A correct server says nothing there (it waits for
 * the client's Finished), so every probe ends in this wait, and a single-threaded server (s_server)
 * is held for it probe after probe. The wait is therefore fitted to the server: four times its
 * slowest answer in the full flow (the same RSA decryption, plus the Finished), at least
 * ROBOT_MIN_QUIET_MS, at most ROBOT_QUIET_MS (or the caller's cap) and the per-connection timeout.
 */
export const ROBOT_QUIET_MS = 1_500;
// The floor only covers timer and scheduling jitter where the round trip is near zero (127.0.0.1):
// the full-flow answer time already carries the network round trip, so the 4× fit follows a remote
// server. At 300 ms the five waits held an s_server for 1.5 s, half of a whole scan.
export const ROBOT_MIN_QUIET_MS = 100;

export interface RobotVerdict {
  /** true: the answers differ by padding (reproduced twice); null: not checked or inconclusive. */
  vulnerable: boolean | null;
  /** false when the server accepts no RSA key exchange suite (nothing to probe). */
  applicable: boolean;
  /** Answer per flow and probe ("alert 20", "closed", "timeout"), when the probes ran. */
  answers?: Partial<Record<RobotFlow, Record<RobotProbe, string>>>;
  evidence: string;
}

const HANDSHAKE_CLIENT_KEY_EXCHANGE = 16;

function nonZeroBytes(n: number): Buffer {
  const b = randomBytes(n);
  for (let i = 0; i < n; i++) if (b[i] === 0) b[i] = 1 + (i % 255);
  return b;
}

/**
 * The k-byte block RSA-encrypted for one probe (k = modulus length). A correct block is
 * 00 02 | ≥ 8 non-zero padding bytes | 00 | client_version (2) | 46 random bytes (RFC 5246 §7.4.7.1).
 * The random part is kept free of zeros so that only the deliberate changes move the separator.
 */
export function robotPremasterBlock(probe: RobotProbe, modulusBytes: number, clientVersion: number): Buffer {
  const premaster = Buffer.concat([Buffer.from([clientVersion >> 8, clientVersion & 0xff]), nonZeroBytes(46)]);
  const block = Buffer.concat([Buffer.from([0x00, 0x02]), nonZeroBytes(modulusBytes - 3 - premaster.length), Buffer.from([0x00]), premaster]);
  const separator = modulusBytes - premaster.length - 1;
  switch (probe) {
    case 'correct': break;
    // Not PKCS #1 at all: the first two bytes are not 00 02.
    case 'wrong-first-bytes': block[0] = 0x41; block[1] = 0x17; break;
    // Valid PKCS #1 (still ≥ 8 padding bytes before the zero) but the premaster comes out 8 bytes too long.
    case 'zero-in-wrong-position': block[separator] = 0x11; block[separator - 8] = 0x00; break;
    // No zero byte after 00 02: the padding never ends.
    case 'no-zero-separator': block[separator] = 0x11; break;
    // Well padded, 48 bytes, but the premaster's version is not the ClientHello's.
    case 'wrong-premaster-version': block[separator + 1] = 0x02; block[separator + 2] = 0x02; break;
  }
  return block;
}

interface ProbeTarget { protocol: TlsProtocol; suites: number[] }

/** One probe on its own connection: handshake to ServerHelloDone, our ClientKeyExchange, then the server's first answer. */
type ProbeOutcome = { ok: true; answer: string; ms: number; key: KeyObject; modulusBits: number; suite: number } | { ok: false; refused: boolean; detail: string };

async function sendProbe(endpoint: TlsEndpoint, target: ProbeTarget, probe: RobotProbe, flow: RobotFlow, budget: ConnectionBudget, quietMs: number, key?: KeyObject): Promise<ProbeOutcome> {
  const hs = await probeHandshake(endpoint, { protocol: target.protocol, cipherSuites: target.suites }, budget, { until: 'server-hello-done', keepOpen: true });
  if (!hs.ok) return { ok: false, refused: hs.error === 'ALERT', detail: `${hs.error}: ${hs.detail}` };
  const { socket, reader } = hs.connection!;
  try {
    let publicKey = key;
    if (!publicKey) {
      const leaf = hs.certificates[0];
      if (!leaf) return { ok: false, refused: false, detail: 'no certificate in the server flight' };
      publicKey = new X509Certificate(leaf).publicKey;
    }
    const modulusBits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (publicKey.asymmetricKeyType !== 'rsa' || modulusBits < 512) return { ok: false, refused: true, detail: `certificate key is ${publicKey.asymmetricKeyType} (${modulusBits} bits), not RSA` };
    const version = PROTOCOL_VERSION[target.protocol];
    const block = robotPremasterBlock(probe, Math.ceil(modulusBits / 8), version);
    const encrypted = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, block);
    const body = Buffer.concat([Buffer.from([encrypted.length >> 8, encrypted.length & 0xff]), encrypted]);
    const keyExchange = Buffer.concat([Buffer.from([HANDSHAKE_CLIENT_KEY_EXCHANGE, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
    const records = [tlsRecord(CONTENT_TYPE.handshake, version, keyExchange)];
    if (flow === 'with-ccs-finished') {
      // Finished can only be right with the real master secret; an "encrypted" record of the usual size is enough to make the server decide.
      const aead = /_GCM_|_CCM|CHACHA20/.test(cipherSuite(hs.serverHello.cipherSuite).name);
      records.push(tlsRecord(CONTENT_TYPE.changeCipherSpec, version, Buffer.from([1])), tlsRecord(CONTENT_TYPE.handshake, version, randomBytes(aead ? 40 : 64)));
    }
    const sentAt = Date.now();
    socket.write(Buffer.concat(records));
    const deadline = Math.min(budget.readDeadline(), sentAt + (flow === 'key-exchange-only' ? quietMs : budget.bounds.timeoutMs));
    const record = await reader.next(deadline);
    // Anything but an alert (a ChangeCipherSpec, a Finished) is an answer too, and a telling one.
    const answer = typeof record === 'string' ? record : record.type === CONTENT_TYPE.alert ? `alert ${record.payload[1] ?? -1}` : `record type ${record.type}`;
    return { ok: true, answer, ms: Date.now() - sentAt, key: publicKey, modulusBits, suite: hs.serverHello.cipherSuite };
  } finally {
    socket.destroy();
  }
}

const differs = (answers: Record<RobotProbe, string>) => new Set(Object.values(answers)).size > 1;
const describe = (answers: Record<RobotProbe, string>) => ROBOT_PROBES.map((p) => `${p} → ${answers[p]}`).join(', ');

/**
 * Runs the probe set against the best TLS 1.0–1.2 version the server accepts, offering only
 * TLS_RSA_* suites. One handshake first (is RSA key exchange offered at all, and with which key),
 * then the other four probes of the full flow at once, then the five of the shortened flow at once
 * with a wait fitted to how fast the server answered. A flow whose answers differ is run once more
 * and counts only when the same answers come back, so a dropped packet cannot make an oracle.
 */
export async function probeRobot(endpoint: TlsEndpoint, accepted: readonly TlsProtocol[], budget: ConnectionBudget, maxQuietMs = ROBOT_QUIET_MS): Promise<RobotVerdict> {
  const protocol = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0'] as const).find((p) => accepted.includes(p));
  if (!protocol) {
    return accepted.includes('SSLv3')
      ? { vulnerable: null, applicable: true, evidence: 'only SSLv3 accepted below TLS 1.3: ROBOT not checked (SSLv3 is an ASV failure by itself)' }
      : { vulnerable: false, applicable: false, evidence: 'not applicable: only TLS 1.3 accepted, which has no RSA key exchange' };
  }
  const target: ProbeTarget = { protocol, suites: suitesForProtocol(protocol).filter((id) => cipherSuite(id).keyExchange === 'RSA') };
  const first = await sendProbe(endpoint, target, 'correct', 'with-ccs-finished', budget, maxQuietMs);
  if (!first.ok && first.refused) return { vulnerable: false, applicable: false, evidence: `not applicable: ${protocol} ClientHello offering only TLS_RSA_* suites → ${first.detail}` };
  if (!first.ok) return { vulnerable: null, applicable: true, evidence: `${protocol} ClientHello offering only TLS_RSA_* suites → ${first.detail}; ROBOT not checked` };

  let slowestMs = first.ms;
  let timedOut = first.answer === 'timeout';
  const runFlow = async (flow: RobotFlow, quietMs: number, known?: ProbeOutcome): Promise<Record<RobotProbe, string> | string> => {
    const results = await Promise.all(ROBOT_PROBES.map((probe) => (known && probe === 'correct' ? Promise.resolve(known) : sendProbe(endpoint, target, probe, flow, budget, quietMs, first.key))));
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) return failed.detail;
    const done = results as Array<Extract<ProbeOutcome, { ok: true }>>;
    if (flow === 'with-ccs-finished') for (const r of done) { slowestMs = Math.max(slowestMs, r.ms); timedOut ||= r.answer === 'timeout'; }
    return Object.fromEntries(ROBOT_PROBES.map((p, i) => [p, done[i]!.answer])) as Record<RobotProbe, string>;
  };
  const confirmed = async (flow: RobotFlow, quietMs: number, known?: ProbeOutcome): Promise<{ answers: Record<RobotProbe, string> | string; oracle: boolean | null }> => {
    const answers = await runFlow(flow, quietMs, known);
    if (typeof answers === 'string' || !differs(answers)) return { answers, oracle: typeof answers === 'string' ? null : false };
    const again = await runFlow(flow, quietMs);
    if (typeof again === 'string') return { answers, oracle: null };
    return { answers, oracle: ROBOT_PROBES.every((p) => again[p] === answers[p]) ? true : null };
  };
  const full = await confirmed('with-ccs-finished', maxQuietMs, first);
  const quietMs = Math.min(budget.bounds.timeoutMs, timedOut ? maxQuietMs : Math.min(maxQuietMs, Math.max(ROBOT_MIN_QUIET_MS, 4 * slowestMs)));
  const short = await confirmed('key-exchange-only', quietMs);

  const sent = `${protocol} ${cipherSuite(first.suite).name}, ${first.modulusBits}-bit RSA key`;
  const flowText = (name: string, r: { answers: Record<RobotProbe, string> | string }) => `${name}: ${typeof r.answers === 'string' ? `not completed (${r.answers})` : describe(r.answers)}`;
  const evidence = `${sent}; ${flowText('with ChangeCipherSpec+Finished', full)}; ${flowText(`ClientKeyExchange alone (answer awaited ${quietMs} ms)`, short)}`;
  const answers: RobotVerdict['answers'] = {};
  if (typeof full.answers !== 'string') answers['with-ccs-finished'] = full.answers;
  if (typeof short.answers !== 'string') answers['key-exchange-only'] = short.answers;
  if (full.oracle === true || short.oracle === true) return { vulnerable: true, applicable: true, answers, evidence: `${evidence}: the answer depends on the padding (reproduced): padding oracle` };
  if (full.oracle === null || short.oracle === null) return { vulnerable: null, applicable: true, answers, evidence: `${evidence}: inconclusive (probes failed or answers not reproducible)` };
  return { vulnerable: false, applicable: true, answers, evidence: `${evidence}: the same answer to every probe` };
}
