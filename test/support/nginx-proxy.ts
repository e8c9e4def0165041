// Test-only: a throw-away local CA (openssl CLI), the site template of deploy/nginx/ rendered for
// 127.0.0.1 high ports, and Debian's nginx run in the foreground with a temporary prefix (never
// the system service). Used by the reverse-proxy test and `npm run bench -- scale`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { untilChildListens } from './local-test-servers.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NGINX_SITE_TEMPLATE = fileURLToPath(new URL('../../deploy/nginx/mamori.conf.template', import.meta.url));
export const NGINX_BINARY = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

export interface ThrowawayCa { caCert: string; cert: string; key: string; dhparam: string; caPem: string }

/** A CA and a server certificate for 127.0.0.1 and localhost signed by it (EC P-256, SHA-256, 30 days). */
export function makeThrowawayCa(dir: string): ThrowawayCa {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'),
    '-days', '30', '-sha256', '-subj', '/CN=Mamori throw-away test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost');
  writeFileSync(f('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '30', '-sha256', '-extfile', f('server.ext'));
  // RFC 7919 ffdhe2048, the group Mozilla's guideline names for the DHE suites (no generation wait).
  openssl('genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'dh_param:ffdhe2048', '-out', f('ffdhe2048.pem'));
  // nginx serves the chain it is given: leaf + CA, as a real fullchain.pem.
  writeFileSync(f('fullchain.pem'), readFileSync(f('server.pem'), 'utf8') + readFileSync(f('ca.pem'), 'utf8'));
  return { caCert: f('ca.pem'), cert: f('fullchain.pem'), key: f('server.key'), dhparam: f('ffdhe2048.pem'), caPem: readFileSync(f('ca.pem'), 'utf8') };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface SiteValues {
  httpsPort: number;
  httpPort: number;
  shops: string[]; // host:port of each instance
  ca: ThrowawayCa;
}

/** The template with every @@NAME@@ filled in; throws if one is left (a new placeholder nobody fills). */
export function renderNginxSite(values: SiteValues, template = readFileSync(NGINX_SITE_TEMPLATE, 'utf8')): string {
  const [first, second] = values.shops;
  if (values.shops.length < 1 || values.shops.length > 2) throw new Error('the template names one or two instances');
  const map: Record<string, string> = {
    SERVER_NAME: '127.0.0.1 localhost',
    PUBLIC_URL: `https://127.0.0.1:${values.httpsPort}`,
    LISTEN_HTTPS: `127.0.0.1:${values.httpsPort}`,
    LISTEN_HTTP: `127.0.0.1:${values.httpPort}`,
    CERTIFICATE: values.ca.cert,
    CERTIFICATE_KEY: values.ca.key,
    TRUSTED_CA: values.ca.caCert,
    // The throw-away CA runs no OCSP responder, so there is nothing to staple (documented in the template).
    OCSP_STAPLING: 'off',
    RESOLVER: '127.0.0.1',
    DHPARAM: values.ca.dhparam,
    SHOP_1: first!,
    SHOP_2: second ?? first!, // one instance: named twice, the same upstream
  };
  const site = template.replace(/@@([A-Z0-9_]+)@@/g, (m, name: string) => map[name] ?? m);
  const left = /@@[A-Z0-9_]+@@/.exec(site);
  if (left) throw new Error(`template placeholder ${left[0]} not filled`);
  return site;
}

export interface RunningNginx { process: ChildProcess; prefix: string; stderr(): string; stop(): Promise<void> }

/** nginx in the foreground, prefix and every temp path under `prefix`, logging to its stderr. */
export async function startNginx(prefix: string, site: string, readyPort: number, opts: { workers?: number } = {}): Promise<RunningNginx> {
  if (!NGINX_BINARY) throw new Error('nginx is not installed (apt-get install nginx)');
  mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  writeFileSync(path.join(prefix, 'mamori.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${path.join(prefix, t)};`).join('\n');
  writeFileSync(path.join(prefix, 'nginx.conf'), `# what /etc/nginx/nginx.conf provides on Debian, reduced to a non-root foreground run
worker_processes ${opts.workers ?? 1};
pid ${path.join(prefix, 'nginx.pid')};
error_log stderr warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    types_hash_max_size 2048;
    default_type application/octet-stream;
${temp}
    include ${path.join(prefix, 'mamori.conf')};
}
`);
  let err = '';
  const args = ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'];
  execFileSync(NGINX_BINARY, [...args, '-t'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const child = spawn(NGINX_BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  await untilChildListens(readyPort, child, 10_000).catch((e: Error) => { throw new Error(`nginx did not start: ${e.message}: ${err}`); });
  return {
    process: child,
    prefix,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGQUIT'); // graceful: finish requests in flight
      await exited;
    },
  };
}
