// The one catalog of everything the scanner can report: a stable id, a CVSS v3 base score (taken
// from how established scanners rate the same issue), CVEs, a fix, and whether the PCI ASV
// Program Guide fails it regardless of score (SSL/early TLS, known-vulnerable TLS, exposed files).

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export interface Finding {
  id: string;
  title: string;
  severity: Severity;
  cvss: number;
  cve: string[];
  evidence: string;
  fix: string;
  /** Fails the ASV verdict whatever the score. */
  autoFail: boolean;
}

interface CatalogEntry { title: string; cvss: number; cve?: string[]; fix: string; autoFail?: boolean }

export const FINDING_CATALOG = {
  'tls-sslv2': { title: 'SSL 2.0 accepted', cvss: 9.8, cve: ['CVE-2016-0800'], autoFail: true, fix: 'Disable SSL 2.0 on the server; allow TLS 1.2 and TLS 1.3 only.' },
  'tls-sslv3': { title: 'SSL 3.0 accepted (POODLE)', cvss: 6.8, cve: ['CVE-2014-3566'], autoFail: true, fix: 'Disable SSL 3.0; PCI DSS forbids it. Allow TLS 1.2 and TLS 1.3 only.' },
  'tls-tls10': { title: 'TLS 1.0 accepted (early TLS)', cvss: 6.5, cve: ['CVE-2011-3389'], autoFail: true, fix: 'Disable TLS 1.0; PCI DSS treats it as early TLS. Allow TLS 1.2 and TLS 1.3 only.' },
  'tls-tls11': { title: 'TLS 1.1 accepted (deprecated, RFC 8996)', cvss: 6.5, fix: 'Disable TLS 1.1; allow TLS 1.2 and TLS 1.3 only.' },
  'tls-no-modern-protocol': { title: 'Neither TLS 1.2 nor TLS 1.3 accepted', cvss: 5.9, fix: 'Enable TLS 1.2 and TLS 1.3.' },
  'tls-cipher-null': { title: 'NULL cipher suites accepted (no encryption)', cvss: 7.4, autoFail: true, fix: 'Remove NULL suites from the server cipher list.' },
  'tls-cipher-export': { title: 'EXPORT-grade cipher suites accepted (FREAK/Logjam)', cvss: 7.4, cve: ['CVE-2015-0204', 'CVE-2015-4000'], autoFail: true, fix: 'Remove EXPORT suites from the server cipher list.' },
  'tls-cipher-anonymous': { title: 'Anonymous cipher suites accepted (no server authentication)', cvss: 7.4, autoFail: true, fix: 'Remove anonymous (aNULL) suites from the server cipher list.' },
  'tls-cipher-rc4': { title: 'RC4 cipher suites accepted', cvss: 5.9, cve: ['CVE-2013-2566', 'CVE-2015-2808'], fix: 'Remove RC4 suites from the server cipher list.' },
  'tls-cipher-des': { title: '64-bit block cipher suites accepted: DES, 3DES, IDEA or RC2 (SWEET32)', cvss: 7.5, cve: ['CVE-2016-2183'], fix: 'Remove DES, 3DES, IDEA and RC2 suites; prefer AES-GCM and ChaCha20-Poly1305.' },
  'tls-cipher-cbc-tls10': { title: 'CBC cipher suites with SSL 3.0 or TLS 1.0 (BEAST)', cvss: 3.7, cve: ['CVE-2011-3389'], fix: 'Disable SSL 3.0 and TLS 1.0, which removes the exposure.' },
  // Issue 19 checks. Scores follow NVD where it gives a v3 score, else how testssl/Qualys rate the issue.
  'tls-sslv2-forced-cipher': { title: 'SSLv2 accepts a cipher it did not offer (DROWN-exploitable)', cvss: 9.8, cve: ['CVE-2015-3197', 'CVE-2016-0800'], autoFail: true, fix: 'Disable SSLv2 entirely (SSLv2 off is not the same as no SSLv2 ciphers before OpenSSL 1.0.2f/1.0.1r); upgrade OpenSSL; never share the RSA key with an SSLv2 server.' },
  // Logjam beyond the EXPORT suites: a 1024-bit group is in reach of a nation-state precomputation
  // (weak, reported); below 1024 bits it is in reach of anyone (academic attack: known-vulnerable TLS, an ASV failure).
  'tls-dh-weak-group': { title: 'Diffie-Hellman group smaller than 2048 bits', cvss: 3.7, cve: ['CVE-2015-4000'], fix: 'Use a 2048-bit (or larger) DH group, e.g. the RFC 7919 ffdhe2048 group, or drop DHE suites for ECDHE.' },
  'tls-dh-insecure-group': { title: 'Diffie-Hellman group smaller than 1024 bits (Logjam)', cvss: 5.9, cve: ['CVE-2015-4000'], autoFail: true, fix: 'Replace the DH parameters with a 2048-bit group (RFC 7919 ffdhe2048) or drop DHE suites for ECDHE.' },
  'tls-ecdh-weak-curve': { title: 'ECDH curve smaller than 224 bits', cvss: 3.7, fix: 'Offer X25519, P-256 or P-384 only.' },
  'ccs-injection': { title: 'OpenSSL CCS injection: early ChangeCipherSpec accepted', cvss: 7.4, cve: ['CVE-2014-0224'], autoFail: true, fix: 'Upgrade OpenSSL (0.9.8za, 1.0.0m, 1.0.1h or later).' },
  'tls-no-fallback-scsv': { title: 'TLS_FALLBACK_SCSV not supported (protocol downgrade)', cvss: 3.7, fix: 'Upgrade the TLS library so that it refuses downgraded retries (RFC 7507), and disable the old protocol versions.' },
  ticketbleed: { title: 'Ticketbleed: session id echo discloses server memory', cvss: 7.5, cve: ['CVE-2016-9244'], autoFail: true, fix: 'Upgrade the F5 BIG-IP software, or disable session tickets on the virtual server.' },
  // A denial-of-service lever only: the ASV Program Guide does not fail a scan for DoS-only issues, hence below 4.0.
  'tls-client-renegotiation': { title: 'Client-initiated renegotiation accepted (denial of service)', cvss: 3.7, cve: ['CVE-2011-1473'], fix: 'Disable client-initiated renegotiation (e.g. OpenSSL SSL_OP_NO_RENEGOTIATION, nginx does so by default).' },
  'tls-lucky13': { title: 'CBC cipher suites with TLS ≤ 1.2 (LUCKY13 timing)', cvss: 3.7, cve: ['CVE-2013-0169'], fix: 'Prefer AEAD suites (AES-GCM, ChaCha20-Poly1305) and keep the TLS library patched.' },
  'http-breach': { title: 'HTTP compression on a page carrying secrets (BREACH)', cvss: 5.9, cve: ['CVE-2013-3587'], fix: 'Do not compress responses that carry secrets (CSRF tokens, session data), or mask the secrets per response.' },
  'cert-no-sct': { title: 'No certificate transparency evidence (no SCT in the certificate or the handshake)', cvss: 0, fix: 'Serve a certificate from a CA that embeds SCTs (every publicly trusted CA does), or staple SCTs in the TLS extension.' },
  // ROBOT: NVD scores the family's CVEs 5.9 (AV:N/AC:H/…/C:H). A working padding oracle decrypts recorded
  // RSA-key-exchange sessions: known-vulnerable TLS, which the ASV Program Guide fails whatever the score.
  robot: { title: 'ROBOT: RSA key-exchange padding oracle (Bleichenbacher)', cvss: 5.9, cve: ['CVE-2017-13099', 'CVE-2017-6168', 'CVE-2017-17382', 'CVE-2017-17427', 'CVE-2017-13098', 'CVE-2017-1000385'], autoFail: true, fix: 'Disable the TLS_RSA_* (static RSA key exchange) suites and keep ECDHE/DHE ones; upgrade the TLS stack or load balancer firmware named in the vendor advisory.' },
  'dns-no-caa': { title: 'No CAA record for the host name', cvss: 0, fix: 'Publish a CAA record naming the CAs allowed to issue for this domain (RFC 8659).' },
  'tls-no-forward-secrecy': { title: 'Cipher suites without forward secrecy accepted', cvss: 3.7, fix: 'Prefer ECDHE/DHE suites and drop static RSA key exchange.' },
  'tls-no-server-preference': { title: 'Server does not enforce its cipher order', cvss: 0, fix: 'Enable server cipher preference (e.g. honorCipherOrder, ssl_prefer_server_ciphers).' },
  heartbleed: { title: 'OpenSSL Heartbleed: heartbeat over-read discloses server memory', cvss: 7.5, cve: ['CVE-2014-0160'], autoFail: true, fix: 'Upgrade OpenSSL (1.0.1g or later), then replace the certificate key and revoke the old certificate, and invalidate sessions and passwords.' },
  'tls-insecure-renegotiation': { title: 'Secure renegotiation (RFC 5746) not supported', cvss: 5.9, cve: ['CVE-2009-3555'], fix: 'Upgrade the TLS library so that it supports the renegotiation_info extension.' },
  'tls-compression': { title: 'TLS compression enabled (CRIME)', cvss: 5.9, cve: ['CVE-2012-4929'], fix: 'Disable TLS-level compression.' },
  'tls-no-ocsp-stapling': { title: 'OCSP stapling not offered', cvss: 0, fix: 'Enable OCSP stapling so clients learn of revocation without asking the CA.' },
  'cert-expired': { title: 'Certificate expired', cvss: 5.3, fix: 'Renew the certificate and automate renewal (ACME).' },
  'cert-not-yet-valid': { title: 'Certificate not yet valid', cvss: 5.3, fix: 'Check the server clock and the certificate validity dates.' },
  'cert-expiring-soon': { title: 'Certificate expires within 30 days', cvss: 0, fix: 'Renew the certificate now and automate renewal (ACME).' },
  'cert-hostname-mismatch': { title: 'Certificate does not match the host name', cvss: 5.3, fix: 'Serve a certificate whose subjectAltName covers this host name.' },
  'cert-self-signed': { title: 'Self-signed certificate', cvss: 6.5, fix: 'Serve a certificate issued by a publicly trusted CA.' },
  'cert-untrusted': { title: 'Certificate chain not trusted', cvss: 6.5, fix: 'Serve the full chain up to a publicly trusted CA.' },
  'cert-weak-key': { title: 'Weak certificate key', cvss: 5.3, fix: 'Reissue the certificate with an RSA key of at least 2048 bits or an ECDSA P-256 key.' },
  'cert-weak-signature': { title: 'Certificate signed with MD5 or SHA-1', cvss: 5.3, fix: 'Reissue the certificate with a SHA-256 (or stronger) signature.' },
  'http-no-hsts': { title: 'HSTS header missing', cvss: 4.3, fix: 'Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response.' },
  'http-short-hsts': { title: 'HSTS max-age shorter than 180 days', cvss: 2.6, fix: 'Raise Strict-Transport-Security max-age to at least 15552000 (one year is usual).' },
  'http-no-csp': { title: 'Content-Security-Policy header missing', cvss: 3.1, fix: 'Send a Content-Security-Policy that limits script sources (the shop sets one through @fastify/helmet).' },
  'http-no-frame-protection': { title: 'No clickjacking protection (frame-ancestors / X-Frame-Options)', cvss: 4.3, fix: "Send Content-Security-Policy: frame-ancestors 'none' (or X-Frame-Options: DENY)." },
  'http-no-content-type-options': { title: 'X-Content-Type-Options: nosniff missing', cvss: 3.1, fix: 'Send X-Content-Type-Options: nosniff.' },
  'http-no-referrer-policy': { title: 'Referrer-Policy header missing', cvss: 0, fix: 'Send Referrer-Policy: strict-origin-when-cross-origin (or stricter).' },
  'http-cookie-no-secure': { title: 'Cookie without the Secure flag', cvss: 4.3, fix: 'Set the Secure attribute on every cookie served over HTTPS.' },
  'http-cookie-no-httponly': { title: 'Cookie without the HttpOnly flag', cvss: 3.1, fix: 'Set HttpOnly on cookies scripts do not need (session cookies above all).' },
  'http-cookie-no-samesite': { title: 'Cookie without the SameSite attribute', cvss: 2.6, fix: 'Set SameSite=Lax (or Strict) on cookies.' },
  'http-version-banner': { title: 'Software version disclosed in a banner', cvss: 0, fix: 'Hide version numbers (e.g. server_tokens off, remove X-Powered-By).' },
  'http-vulnerable-component': { title: 'Banner reveals a version with known advisories', cvss: 0, fix: 'Upgrade the component to a fixed version.' },
  'http-git-exposed': { title: 'Git repository exposed (/.git/)', cvss: 7.5, autoFail: true, fix: 'Block /.git/ at the web server and remove it from the document root.' },
  'http-env-exposed': { title: 'Environment file exposed (/.env)', cvss: 7.5, autoFail: true, fix: 'Remove the file from the document root, block dot-files, and rotate every secret it held.' },
  'http-backup-exposed': { title: 'Backup or editor file exposed', cvss: 7.5, autoFail: true, fix: 'Remove backup and editor files from the document root and block *~, *.bak, *.swp, *.orig, *.old.' },
  'http-directory-listing': { title: 'Directory listing enabled', cvss: 5.3, fix: 'Turn off automatic directory indexes (autoindex off, Options -Indexes).' },
  'http-debug-page': { title: 'Diagnostic page exposed (phpinfo / server-status)', cvss: 5.3, autoFail: true, fix: 'Remove diagnostic pages or restrict them to the operators’ addresses.' },
  'http-admin-exposed': { title: 'Administration page reachable from the scanner without IP restriction', cvss: 5.3, fix: 'Restrict the administration interface to known addresses (VPN, allow-list) in addition to its login (PCI DSS 1.4, 8.4).' },
  'http-trace-enabled': { title: 'HTTP TRACE method enabled', cvss: 5.3, cve: ['CVE-2003-1567'], fix: 'Disable TRACE (TraceEnable off) at the web server.' },
  'http-no-https-redirect': { title: 'Plain HTTP does not redirect to HTTPS', cvss: 4.3, fix: 'Answer every plain-HTTP request with a 301 redirect to the HTTPS URL.' },
  'scan-overdue': { title: 'External scan overdue', cvss: 4.0, fix: 'Run `mamori scan` now; PCI DSS 11.3.2 requires a passing external scan every quarter and after significant changes.' },
} satisfies Record<string, CatalogEntry>;

export type FindingId = keyof typeof FINDING_CATALOG;

export function severityOf(cvss: number): Severity {
  if (cvss >= 9) return 'critical';
  if (cvss >= 7) return 'high';
  if (cvss >= 4) return 'medium';
  if (cvss > 0) return 'low';
  return 'info';
}

export function makeFinding(id: FindingId, evidence: string, override: { title?: string; cvss?: number; cve?: string[] } = {}): Finding {
  const entry: CatalogEntry = FINDING_CATALOG[id];
  const cvss = override.cvss ?? entry.cvss;
  return {
    id,
    title: override.title ?? entry.title,
    severity: severityOf(cvss),
    cvss,
    cve: override.cve ?? entry.cve ?? [],
    evidence,
    fix: entry.fix,
    autoFail: entry.autoFail ?? false,
  };
}

/** PCI ASV rule: fail on any finding scoring CVSS 4.0 or more, or on an automatic-failure item. */
export function verdictOf(findings: readonly Finding[]): 'pass' | 'fail' {
  return findings.some((f) => f.cvss >= 4 || f.autoFail) ? 'fail' : 'pass';
}
