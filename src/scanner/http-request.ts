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
}

export type HttpOutcome = { ok: true; response: HttpSnapshot } | { ok: false; error: 'BUDGET_EXHAUSTED' | 'CONNECT_FAILED' | 'TIMEOUT'; detail: string };

export async function httpRequest(url: URL, method: string, budget: ConnectionBudget, extraHeaders: Record<string, string> = {}, timeoutMs?: number): Promise<HttpOutcome> {
  if (budget.exhausted) return { ok: false, error: 'BUDGET_EXHAUSTED', detail: 'connection or time cap reached' };
  budget.used++;
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const timer = setTimeout(() => { req.destroy(); resolve({ ok: false, error: 'TIMEOUT', detail: `${method} ${url.pathname} timed out` }); }, Math.max(1, Math.min(budget.readDeadline() - Date.now(), timeoutMs ?? Infinity)));
    const options: https.RequestOptions = {
      method,
      host,
      port: url.port || (secure ? 443 : 80),
      path: url.pathname + url.search,
      agent: false,
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
        resolve({ ok: true, response: { url: url.href, method, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).subarray(0, BODY_LIMIT) } });
      };
      res.on('end', done);
      res.on('close', done);
    });
    req.on('error', (err) => { clearTimeout(timer); resolve({ ok: false, error: 'CONNECT_FAILED', detail: err.message }); });
    req.end();
  });
}
