// One bounded HTTP(S) request: counted against the target's connection cap, with a timeout and a
// body limit, never following redirects on its own (the scanner only talks to the named target).
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { ConnectionBudget } from './connection-budget.ts';

export const SCANNER_USER_AGENT = 'mamori-scan/0.1 (authorized external scan; https://github.com/mamori)';
const BODY_LIMIT = 64 * 1024;

export interface HttpSnapshot {
  url: string;
  method: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** From the connection's handshake to the end of the body, in ms: the server's own answer time, without any wait for it to accept (absent on snapshots not fetched). */
  ms?: number;
}

export type HttpOutcome = { ok: true; response: HttpSnapshot } | { ok: false; error: 'BUDGET_EXHAUSTED' | 'CONNECT_FAILED' | 'TIMEOUT'; detail: string };

/**
 * One agent per target's scan, without keep-alive (every request still gets its own connection, as
 * it always did), so that its TLS session cache lets later requests resume the first one's session:
 * an abbreviated handshake costs the server no certificate signature or RSA decryption, which on a
 * single-threaded server (OpenSSL s_server) is most of what 40 requests cost it.
 */
const sessionAgents = new WeakMap<ConnectionBudget, https.Agent>();
function agentFor(budget: ConnectionBudget): https.Agent {
  let agent = sessionAgents.get(budget);
  if (!agent) { agent = new https.Agent({ keepAlive: false, maxCachedSessions: 4 }); sessionAgents.set(budget, agent); }
  return agent;
}

export async function httpRequest(url: URL, method: string, budget: ConnectionBudget, extraHeaders: Record<string, string> = {}, timeoutMs?: number): Promise<HttpOutcome> {
  if (budget.exhausted) return { ok: false, error: 'BUDGET_EXHAUSTED', detail: 'connection or time cap reached' };
  budget.used++;
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let started = Date.now();
  return new Promise((resolve) => {
    const timeout = () => { req.destroy(); resolve({ ok: false, error: 'TIMEOUT', detail: `${method} ${url.pathname} timed out` }); };
    let timer = setTimeout(timeout, Math.max(1, budget.readDeadline() - Date.now()));
    const options: https.RequestOptions = {
      method,
      host,
      port: url.port || (secure ? 443 : 80),
      path: url.pathname + url.search,
      agent: secure ? agentFor(budget) : false,
      headers: { 'user-agent': SCANNER_USER_AGENT, accept: '*/*', ...extraHeaders },
      ...(secure ? { rejectUnauthorized: false, minVersion: 'TLSv1' as const, ciphers: 'ALL:@SECLEVEL=0', ...(isIP(host) === 0 ? { servername: host } : {}) } : {}),
    };
    const req = (secure ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < BODY_LIMIT) { chunks.push(chunk); size += chunk.length; }
        if (size >= BODY_LIMIT) res.destroy();
      });
      const done = () => {
        clearTimeout(timer);
        resolve({ ok: true, response: { url: url.href, method, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).subarray(0, BODY_LIMIT), ms: Date.now() - started } });
      };
      res.on('end', done);
      res.on('close', done);
    });
    // timeoutMs bounds the wait for the answer once the server has taken the connection (a
    // single-threaded server may take a while to accept it; that is not the answer being slow).
    req.on('socket', (socket) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        started = Date.now();
        if (timeoutMs === undefined) return;
        clearTimeout(timer);
        timer = setTimeout(timeout, Math.max(1, Math.min(budget.readDeadline(), started + timeoutMs) - Date.now()));
      });
    });
    req.on('error', (err) => { clearTimeout(timer); resolve({ ok: false, error: 'CONNECT_FAILED', detail: err.message }); });
    req.end();
  });
}
