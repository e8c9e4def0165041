// Well-known paths that must never answer on a shop, each with a content test so that a
// catch-all page (an SPA answering 200 everywhere) is not mistaken for an exposure.
import type { FindingId } from './findings.ts';
import type { HttpSnapshot } from './http-request.ts';

export interface ExposureProbe {
  path: string;
  finding: FindingId;
  what: string;
  matches(response: HttpSnapshot): boolean;
}

const text = (r: HttpSnapshot) => r.body.toString('latin1');
const ok = (r: HttpSnapshot) => r.status === 200;
const isHtml = (r: HttpSnapshot) => /text\/html/i.test(String(r.headers['content-type'] ?? '')) || /^\s*<(!doctype|html)/i.test(text(r));
const directoryListing = (r: HttpSnapshot) => ok(r) && /<title>\s*(Index of \/|Directory listing for \/)|<h1>\s*Index of \//i.test(text(r));

function backup(path: string, looksLike: (body: string, r: HttpSnapshot) => boolean): ExposureProbe {
  return { path, finding: 'http-backup-exposed', what: 'backup/editor file', matches: (r) => ok(r) && looksLike(text(r), r) };
}
const phpSource = (b: string) => b.includes('<?php');
const zip = (b: string) => b.startsWith('PK\u0003\u0004');
const gzip = (b: string) => b.startsWith('\u001f\u008b');
const sqlDump = (b: string, r: HttpSnapshot) => !isHtml(r) && /CREATE TABLE|INSERT INTO/i.test(b);

export const EXPOSURE_PROBES: readonly ExposureProbe[] = [
  { path: '/.git/HEAD', finding: 'http-git-exposed', what: 'git HEAD', matches: (r) => ok(r) && /^(ref: refs\/|[0-9a-f]{40}\s*$)/.test(text(r)) },
  { path: '/.git/config', finding: 'http-git-exposed', what: 'git config', matches: (r) => ok(r) && /^\s*\[core\]/m.test(text(r)) },
  { path: '/.env', finding: 'http-env-exposed', what: 'environment file', matches: (r) => ok(r) && !isHtml(r) && /^\s*[A-Z][A-Z0-9_]*\s*=/m.test(text(r)) },
  { path: '/.env.production', finding: 'http-env-exposed', what: 'environment file', matches: (r) => ok(r) && !isHtml(r) && /^\s*[A-Z][A-Z0-9_]*\s*=/m.test(text(r)) },
  backup('/index.php~', phpSource),
  backup('/index.php.bak', phpSource),
  backup('/.index.php.swp', (b) => b.startsWith('b0VIM')),
  backup('/config.php.bak', phpSource),
  backup('/wp-config.php~', phpSource),
  backup('/wp-config.php.bak', phpSource),
  backup('/config.js.bak', (b, r) => !isHtml(r) && b.length > 0),
  backup('/backup.zip', zip),
  backup('/backup.tar.gz', gzip),
  backup('/site.zip', zip),
  backup('/backup.sql', sqlDump),
  backup('/dump.sql', sqlDump),
  backup('/db.sql', sqlDump),
  { path: '/', finding: 'http-directory-listing', what: 'directory listing', matches: directoryListing },
  { path: '/uploads/', finding: 'http-directory-listing', what: 'directory listing', matches: directoryListing },
  { path: '/images/', finding: 'http-directory-listing', what: 'directory listing', matches: directoryListing },
  { path: '/static/', finding: 'http-directory-listing', what: 'directory listing', matches: directoryListing },
  { path: '/backup/', finding: 'http-directory-listing', what: 'directory listing', matches: directoryListing },
  { path: '/phpinfo.php', finding: 'http-debug-page', what: 'phpinfo()', matches: (r) => ok(r) && /phpinfo\(\)|<title>PHP \d/i.test(text(r)) },
  { path: '/info.php', finding: 'http-debug-page', what: 'phpinfo()', matches: (r) => ok(r) && /phpinfo\(\)|<title>PHP \d/i.test(text(r)) },
  { path: '/server-status', finding: 'http-debug-page', what: 'Apache server-status', matches: (r) => ok(r) && /Apache Server Status/i.test(text(r)) },
  { path: '/server-info', finding: 'http-debug-page', what: 'Apache server-info', matches: (r) => ok(r) && /Apache Server Information/i.test(text(r)) },
];

/** Administration pages: reachable (200, or 401 asking for a password) means no IP restriction in front. */
export const ADMIN_PATHS: readonly string[] = ['/admin', '/admin/', '/admin/login', '/administrator/', '/wp-admin/', '/wp-login.php', '/phpmyadmin/', '/manager/html'];

export function looksLikeAdminPage(r: HttpSnapshot): boolean {
  if (r.status === 401) return true;
  return r.status === 200 && /type=["']?password|<title>[^<]*(admin|login|log in|sign in|管理|ログイン)/i.test(text(r));
}
