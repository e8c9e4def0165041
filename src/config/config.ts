// All configuration comes from the environment, validated once at start-up (the shop and
// every CLI call loadConfig). Every value has a safe default so `npm start` works on a fresh
// machine; nothing here is a secret default. Nothing else under src/ reads process.env.
import path from 'node:path';
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const yen = z.coerce.number().int().min(0).max(10_000_000);

const ConfigSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  /** Public origin the shop is reached at (used in e-mails, canonical URLs, payment return URLs). */
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  /** Product images; a directory every instance shares (NFS, a mounted volume) when there are several. */
  MEDIA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z.string().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Mamori Shop <shop@localhost>'),
  SHOP_NAME: z.string().default('Mamori'),
  SHIPPING_FLAT_FEE: yen.default(800),
  SHIPPING_FREE_OVER: yen.default(5000),
  ORDER_PAYMENT_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  /** Unpaid orders whose payment was never started give their stock back sooner. */
  ORDER_UNSTARTED_PAYMENT_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(10),
  ORDER_MAX_UNITS_PER_VARIANT: z.coerce.number().int().min(1).max(10_000).default(10),
  ORDER_MAX_LINES: z.coerce.number().int().min(1).max(1000).default(20),
  /** Unpaid orders one client address (or one e-mail) may hold at once. */
  ORDER_MAX_PENDING_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(5),
  ORDER_MAX_PENDING_PER_EMAIL: z.coerce.number().int().min(1).max(100_000).default(3),
  ORDER_MAILS_PER_RECIPIENT_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(5),
  /** The shop's time zone: cron schedules of background jobs are read in it. */
  SHOP_TIME_ZONE: z.string().default('Asia/Tokyo').refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Tokyo' }),
  /** Carts not touched for this many days are deleted with their items. */
  CART_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Which X-Forwarded-For hops to believe: the proxy's addresses/CIDRs, never "all". */
  TRUST_PROXY: z.string().optional().transform((v, ctx) => {
    const r = parseTrustProxy(v);
    if (!r.ok) { ctx.addIssue({ code: 'custom', message: r.error }); return z.NEVER; }
    return r.value;
  }),
  PAYMENT_PROVIDER: z.enum(['sandbox', 'stripe']).default('sandbox'),
  PAYGATE_HOST: z.string().default('127.0.0.1'),
  PAYGATE_PORT: port.default(3100),
  /** Where the shop finds the gateway; defaults to the bundled sandbox. */
  PAYGATE_URL: z.url().optional(),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, { error: 'must be a Stripe secret or restricted key (sk_… / rk_…)' }).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_', { error: 'must be the webhook signing secret (whsec_…)' }).optional(),
  /** CIDR list allowed to reach /admin; unset = no restriction (checked by the admin plugin). */
  ADMIN_ALLOWED_IPS: z.string().optional(),
  ADMIN_LOGIN_DELAY_STEP_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  /** Failed logins for one name from one client address before that pair is locked out. */
  ADMIN_LOCKOUT_PER_ADDRESS: z.coerce.number().int().min(1).max(100).default(6),
  /** Failed logins for one name, within an hour, from ADMIN_LOCKOUT_ACCOUNT_ADDRESSES or more addresses, before the name is locked everywhere. */
  ADMIN_LOCKOUT_ACCOUNT_FAILURES: z.coerce.number().int().min(1).max(10_000).default(20),
  ADMIN_LOCKOUT_ACCOUNT_ADDRESSES: z.coerce.number().int().min(1).max(1000).default(3),
  ADMIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** base64 of 32 bytes; unset = a 0600 key file in DATA_DIR. */
  ADMIN_TOTP_KEY: z.string().optional(),
  // Admin-access signals (src/admin/access-signals/): thresholds of the credential-stuffing alerts
  // and the vendors' working hours. Why these defaults: a person who forgot a password fails on one
  // name, and the per-pair lock stops them at 6; 10 failures in 10 minutes over 3 or more names from
  // one address is a tool walking a list (an office NAT with several staff mistyping twice each stays
  // well below). 50 failures in 10 minutes from everywhere is far beyond what a shop's handful of
  // admins produce by typos, and is what a botnet rotating addresses to dodge per-address limits does.
  ADMIN_FAILURE_BURST_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(10),
  ADMIN_FAILURE_BURST_PER_ADDRESS: z.coerce.number().int().min(2).max(100_000).default(10),
  ADMIN_FAILURE_BURST_PER_ADDRESS_NAMES: z.coerce.number().int().min(1).max(1000).default(3),
  ADMIN_FAILURE_BURST_TOTAL: z.coerce.number().int().min(2).max(1_000_000).default(50),
  /** When vendor accounts are expected to sign in, in SHOP_TIME_ZONE: `HH:MM-HH:MM` (may wrap past midnight), or `off`. */
  ADMIN_VENDOR_HOURS: z.string().trim().default('09:00-18:00').transform((v, ctx) => {
    const r = parseVendorHours(v);
    if (!r.ok) { ctx.addIssue({ code: 'custom', message: r.error }); return z.NEVER; }
    return r.value;
  }),
  /** The weekdays of ADMIN_VENDOR_HOURS: `mon-fri`, or a list such as `mon,tue,sat`. */
  ADMIN_VENDOR_DAYS: z.string().trim().default('mon-fri').transform((v, ctx) => {
    const r = parseWeekdays(v);
    if (!r.ok) { ctx.addIssue({ code: 'custom', message: r.error }); return z.NEVER; }
    return r.value;
  }),
  /** Where imported advisory data lives; the shop's daily check and the CLIs read the same place. */
  MAMORI_ADVISORY_DIR: z.string().optional(),
  /** A Node.js release schedule to use instead of the stored or shipped one. */
  MAMORI_NODE_SCHEDULE: z.string().optional(),
  /** 1 = never try to download advisory data. */
  MAMORI_OFFLINE: z.enum(['0', '1', '']).default('0').transform((v) => v === '1'),
  /** Where security alerts are POSTed as signed JSON, beside the owners' e-mail. */
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** HMAC key for the webhook's signature (at least 32 characters); required with the URL. */
  ALERT_WEBHOOK_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  /** How often the way to the payment page is walked and compared with its baseline; 0 = off. */
  PAGE_MONITOR_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(24 * 3600).refine((n) => n === 0 || n >= 10, { error: 'must be 0 (off) or at least 10' }).default(60),
  /** What a page-watch difference does beside the alert: pause card payments (default) or only alert. */
  PAGE_WATCH_ON_ALERT: z.enum(['pause', 'alert']).default('pause'),
  /** Malware scanning (src/malware-scan/): clamd's UNIX socket, or its TCP address; unset = off. */
  CLAMD_SOCKET: z.string().optional(),
  CLAMD_HOST: z.string().optional(),
  CLAMD_PORT: port.min(1).default(3310),
  CLAMD_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** How long one scan reply may take once the file is sent. */
  CLAMD_REPLY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Files larger than this are not streamed (skipped with a note); keep it below clamd's StreamMaxLength (Debian: 25M). */
  CLAMD_MAX_STREAM_BYTES: z.coerce.number().int().min(10 * 1024 * 1024, { error: 'must be at least 10 MiB, the largest product image (MAX_IMAGE_BYTES)' }).max(4 * 1024 ** 3).default(20 * 1024 * 1024),
  /** How often the install and data directories are scanned when clamd is configured; 0 = never. */
  MALWARE_SCAN_INTERVAL_HOURS: z.coerce.number().int().min(0).max(24 * 31).default(24),
  /** Comma-separated directories the scheduled scan covers instead of the install and data directories. */
  MALWARE_SCAN_PATHS: z.string().optional(),
  /** File integrity (src/integrity/): how often the installation is verified against its manifest; 0 = off. */
  INTEGRITY_CHECK_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(24 * 3600).refine((n) => n === 0 || n >= 10, { error: 'must be 0 (off) or at least 10' }).default(300),
  /** The manifest's HMAC key (0600, generated at the first baseline); must be outside DATA_DIR. Default ~/.config/mamori/integrity-<id of DATA_DIR>.key (one per installation). */
  INTEGRITY_KEY_FILE: z.string().min(1).optional(),
  /** The installation whose files are checked; default the checkout this code runs from. */
  INTEGRITY_ROOT: z.string().min(1).optional(),
  /** The Chromium binary of the page watch's browser level and of the PDF exports (Debian's package; never a downloaded build). */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /** Customer notices of an incident sent per minute at most (the bulk send's rate limit). */
  NOTICE_SEND_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(60),
  /** PostgreSQL: how often each instance re-reads the pause state besides LISTEN/NOTIFY (the fallback if a notification is lost). */
  SHOP_PAUSE_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  // Security committee sign-off of the monthly report (src/security-committee/).
  /** Day of the month (shop time) from which last month's report, not yet submitted, is reminded to the vendor and owners. */
  MONTHLY_REPORT_SUBMIT_BY_DAY: z.coerce.number().int().min(1).max(28).default(10),
  /** Day of the month from which last month's report, not yet approved, is reminded to the security committee. */
  MONTHLY_REPORT_APPROVE_BY_DAY: z.coerce.number().int().min(1).max(28).default(20),
  /** How often the shop searches its database and files for stored card numbers (hours; 0 = off). Weekly by default. */
  PAN_SCAN_INTERVAL_HOURS: z.coerce.number().int().min(0).max(24 * 366).default(168),
  /** More files or folders the weekly pan-scan searches, comma-separated (e.g. the file the shop's log is written to). */
  PAN_SCAN_EXTRA_PATHS: z.string().optional(),
  /** Which walk the scheduled page watch runs: auto = in Chromium when CHROMIUM_PATH exists, else over HTTP. */
  PAGE_WATCH_LEVEL: z.enum(['auto', 'http', 'browser']).default('auto'),
  /** CSP violation reports accepted per client and minute (src/csp-reports/). */
  CSP_REPORTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** CSP violation reports kept; past this the oldest are dropped. */
  CSP_REPORTS_MAX_STORED: z.coerce.number().int().min(10).max(1_000_000).default(5000),
  /** Confirmation mails of /contact per recipient address and 24 hours (more inquiries are stored, not mailed). */
  INQUIRY_CONFIRMATIONS_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(0).max(1000).default(3),
  /** Inquiries accepted through /contact per 24 hours; past this the form refuses and an alert is raised. */
  INQUIRIES_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(500),
  // Backups (src/backup/): the scheduled `mamori backup` of `npm start`.
  /** Where scheduled backups are written; default DATA_DIR/backups (put it on another disk, and copy archives off the machine). */
  BACKUP_DIR: z.string().min(1).optional(),
  /** How often the shop writes a backup archive (hours; 0 = off). */
  BACKUP_INTERVAL_HOURS: z.coerce.number().int().min(0).max(24 * 31).default(24),
  /** How many scheduled archives are kept in BACKUP_DIR; older ones are deleted after each backup. */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7),
  // Issue 17 (bugs): Store API return origins and the shop's contact details in every mail.
  /** Origins (comma-separated, e.g. `https://store.example.jp`) a Store API checkout's returnUrl may point to; empty: none. */
  STORE_API_RETURN_ORIGINS: z.string().default('').transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .refine((list) => list.every(isOriginOnly), { error: 'must be comma-separated http(s) origins without a path, e.g. https://store.example.jp' }),
  /** Storefront origins (comma-separated) allowed to call /api/store/* and load /media/ cross-origin (CORS); empty: none. */
  STORE_API_CORS_ORIGINS: z.string().default('').transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .refine((list) => list.every(isOriginOnly), { error: 'must be comma-separated http(s) origins without a path, e.g. https://store.example.jp' }),
  /** The shop's contact details, printed in every customer mail (and on the legal notice). */
  SHOP_CONTACT_EMAIL: z.email().optional(),
  SHOP_CONTACT_PHONE: z.string().max(40).optional(),
  SHOP_CONTACT_ADDRESS: z.string().max(200).optional(),
  /** Opening hours of the shop's desk, free text (e.g. 平日 10:00–17:00). */
  SHOP_CONTACT_HOURS: z.string().max(100).optional(),
  // Customer accounts (issue 18, src/customer-accounts/).
  /** How long the e-mail verification link of a new account (or of a changed address) stays valid. */
  CUSTOMER_VERIFY_LINK_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(24 * 60),
  /** How long a password-reset link stays valid. */
  CUSTOMER_RESET_LINK_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(30),
  /** A customer session ends after this long unused, and after CUSTOMER_SESSION_MAX_DAYS in all. */
  CUSTOMER_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(30 * 24 * 60).default(7 * 24 * 60),
  CUSTOMER_SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** A Store API bearer token (POST /api/store/customers/token) ends this many days after it was issued, used or not. */
  CUSTOMER_API_TOKEN_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  /** Extra wait per consecutive failed customer login (per account and per address). */
  CUSTOMER_LOGIN_DELAY_STEP_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  /** Failed logins for one e-mail from one address before that pair is locked for CUSTOMER_LOCKOUT_MINUTES. */
  CUSTOMER_LOCKOUT_PER_ADDRESS: z.coerce.number().int().min(1).max(100).default(10),
  CUSTOMER_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Logins, registrations and reset requests per client address and minute (each). */
  CUSTOMER_AUTH_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  NO_COLOR: z.string().optional(),
  FORCE_COLOR: z.string().optional(),
  // Catalog (issues 17, 18): how stock is shown to customers (pages and Store API).
  /** `level`: in stock / low / sold out; `exact`: the counts. */
  STOREFRONT_STOCK_DISPLAY: z.enum(['level', 'exact']).default('level'),
  /** At or below this many units (and above zero) a variant is "low". */
  STOREFRONT_LOW_STOCK_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(3),
}).refine((e) => !e.ALERT_WEBHOOK_URL || e.ALERT_WEBHOOK_SECRET, {
  error: 'ALERT_WEBHOOK_URL needs ALERT_WEBHOOK_SECRET (at least 32 characters) to sign what it sends',
  path: ['ALERT_WEBHOOK_SECRET'],
}).refine((e) => !(e.CLAMD_SOCKET && e.CLAMD_HOST), {
  error: 'set CLAMD_SOCKET or CLAMD_HOST (+ CLAMD_PORT), not both',
  path: ['CLAMD_SOCKET'],
}).refine((e) => e.PAYMENT_PROVIDER !== 'stripe' || (e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET), {
  error: 'PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET',
  path: ['PAYMENT_PROVIDER'],
});

export interface ShopConfig {
  host: string;
  port: number;
  publicUrl: string;
  https: boolean;
  dataDir: string;
  /** Product images (MEDIA_DIR, default DATA_DIR/media): shared by every instance. */
  mediaDir: string;
  databaseUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  shopName: string;
  shipping: { flatFee: number; freeOver: number };
  orderPaymentTimeoutMinutes: number;
  /** Bounds on what one anonymous client can reserve or make the shop send. */
  orderLimits: {
    unstartedPaymentTimeoutMinutes: number;
    maxUnitsPerVariant: number;
    maxLines: number;
    maxPendingPerAddress: number;
    maxPendingPerEmail: number;
    confirmationMailsPerRecipientPerDay: number;
  };
  timeZone: string;
  cartRetentionDays: number;
  logLevel: string;
  /** Passed to Fastify's trustProxy: false, or the proxy's addresses/CIDRs. */
  trustProxy: TrustProxySetting;
  admin: {
    allowedIps: string | undefined; loginDelayStepMs: number; totpKey: string | undefined;
    lockout: { perAddress: number; accountFailures: number; accountAddresses: number; minutes: number };
  };
  /** Admin-access signals (src/admin/access-signals/). */
  accessSignals: {
    failureBurst: { windowMinutes: number; perAddress: number; perAddressNames: number; total: number };
    /** Minutes after local midnight, [start, end); start > end wraps past midnight. undefined = vendors unrestricted. */
    vendorHours: { startMinute: number; endMinute: number } | undefined;
    /** 0 = Sunday … 6 = Saturday, as Date.getDay(). */
    vendorDays: number[];
  };
  advisories: { dir: string; nodeScheduleFile: string | undefined; offline: boolean };
  terminal: { noColor: boolean; forceColor: boolean };
  alerts: { webhook: { url: string; secret: string } | undefined };
  pageWatch: { intervalMs: number; onAlert: 'pause' | 'alert'; level: 'auto' | 'http' | 'browser'; chromiumPath: string };
  cspReports: { perMinute: number; maxStored: number };
  inquiries: { confirmationsPerAddressPerDay: number; perDay: number };
  malwareScan: MalwareScanConfig;
  integrity: { intervalMs: number; keyFile: string | undefined; root: string | undefined };
  /** CHROMIUM_PATH: the page watch's browser level, incident reports printed to PDF. */
  chromiumPath: string;
  incidentNotices: { sendPerMinute: number };
  shopPause: { pollMs: number };
  panScan: { intervalMs: number; extraPaths: string[] };
  /** MONTHLY_REPORT_SUBMIT_BY_DAY, MONTHLY_REPORT_APPROVE_BY_DAY (src/security-committee/). */
  securityCommittee: { submitByDay: number; approveByDay: number };
  /** Scheduled backups (src/backup/); intervalMs 0 = off. */
  backup: { dir: string; intervalMs: number; keep: number };
  payment: {
    provider: 'sandbox' | 'stripe';
    paygateHost: string;
    paygatePort: number;
    paygateUrl: string;
    /** True when PAYGATE_URL names a gateway elsewhere, so `npm start` does not start the bundled one. */
    paygateUrlConfigured: boolean;
    stripe: { secretKey: string; webhookSecret: string } | undefined;
  };
  // Issue 17 (bugs)
  storeApi: { returnOrigins: string[]; corsOrigins: string[] };
  contact: { email: string | undefined; phone: string | undefined; address: string | undefined; hours: string | undefined };
  /** STOREFRONT_STOCK_DISPLAY, STOREFRONT_LOW_STOCK_THRESHOLD (src/catalog/stock-display.ts). */
  stockDisplay: { mode: 'level' | 'exact'; lowThreshold: number };
  customerAccounts: {
    verifyLinkMs: number; resetLinkMs: number; sessionIdleMs: number; sessionMaxMs: number; apiTokenMs: number;
    loginDelayStepMs: number; lockout: { perAddress: number; minutes: number }; authPerMinute: number;
  };
}

/** Where clamd listens: a UNIX socket or a TCP address. */
export type ClamdEndpoint = { socket: string } | { host: string; port: number };

export interface MalwareScanConfig {
  /** undefined: malware scanning is off (uploads are not scanned; the status page says so in red). */
  clamd: ClamdEndpoint | undefined;
  connectTimeoutMs: number;
  replyTimeoutMs: number;
  maxStreamBytes: number;
  /** The scheduled scan's interval (0: none). */
  intervalMs: number;
  /** What the scheduled scan covers; undefined: the install and data directories. */
  paths: string[] | undefined;
}

export type ConfigResult = { ok: true; config: ShopConfig } | { ok: false; errors: string[] };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`).replace(/\/$/, '');
  const paygateUrl = (e.PAYGATE_URL ?? `http://${e.PAYGATE_HOST}:${e.PAYGATE_PORT}`).replace(/\/$/, '');
  return {
    ok: true,
    config: {
      host: e.HOST,
      port: e.PORT,
      publicUrl,
      https: publicUrl.startsWith('https://'),
      dataDir,
      mediaDir: e.MEDIA_DIR ? path.resolve(e.MEDIA_DIR) : path.join(dataDir, 'media'),
      databaseUrl: e.DATABASE_URL ?? path.join(dataDir, 'mamori.sqlite'),
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      shopName: e.SHOP_NAME,
      shipping: { flatFee: e.SHIPPING_FLAT_FEE, freeOver: e.SHIPPING_FREE_OVER },
      orderPaymentTimeoutMinutes: e.ORDER_PAYMENT_TIMEOUT_MINUTES,
      orderLimits: {
        unstartedPaymentTimeoutMinutes: Math.min(e.ORDER_UNSTARTED_PAYMENT_TIMEOUT_MINUTES, e.ORDER_PAYMENT_TIMEOUT_MINUTES),
        maxUnitsPerVariant: e.ORDER_MAX_UNITS_PER_VARIANT,
        maxLines: e.ORDER_MAX_LINES,
        maxPendingPerAddress: e.ORDER_MAX_PENDING_PER_ADDRESS,
        maxPendingPerEmail: e.ORDER_MAX_PENDING_PER_EMAIL,
        confirmationMailsPerRecipientPerDay: e.ORDER_MAILS_PER_RECIPIENT_PER_DAY,
      },
      timeZone: e.SHOP_TIME_ZONE,
      cartRetentionDays: e.CART_RETENTION_DAYS,
      logLevel: e.LOG_LEVEL,
      trustProxy: e.TRUST_PROXY,
      admin: {
        allowedIps: e.ADMIN_ALLOWED_IPS, loginDelayStepMs: e.ADMIN_LOGIN_DELAY_STEP_MS, totpKey: e.ADMIN_TOTP_KEY,
        lockout: { perAddress: e.ADMIN_LOCKOUT_PER_ADDRESS, accountFailures: e.ADMIN_LOCKOUT_ACCOUNT_FAILURES, accountAddresses: e.ADMIN_LOCKOUT_ACCOUNT_ADDRESSES, minutes: e.ADMIN_LOCKOUT_MINUTES },
      },
      accessSignals: {
        failureBurst: { windowMinutes: e.ADMIN_FAILURE_BURST_WINDOW_MINUTES, perAddress: e.ADMIN_FAILURE_BURST_PER_ADDRESS, perAddressNames: e.ADMIN_FAILURE_BURST_PER_ADDRESS_NAMES, total: e.ADMIN_FAILURE_BURST_TOTAL },
        vendorHours: e.ADMIN_VENDOR_HOURS, vendorDays: e.ADMIN_VENDOR_DAYS,
      },
      advisories: {
        dir: path.resolve(e.MAMORI_ADVISORY_DIR || path.join(dataDir, 'advisories')),
        nodeScheduleFile: e.MAMORI_NODE_SCHEDULE || undefined,
        offline: e.MAMORI_OFFLINE,
      },
      pageWatch: { intervalMs: e.PAGE_MONITOR_INTERVAL_SECONDS * 1000, onAlert: e.PAGE_WATCH_ON_ALERT, level: e.PAGE_WATCH_LEVEL, chromiumPath: e.CHROMIUM_PATH },
      cspReports: { perMinute: e.CSP_REPORTS_PER_MINUTE, maxStored: e.CSP_REPORTS_MAX_STORED },
      inquiries: { confirmationsPerAddressPerDay: e.INQUIRY_CONFIRMATIONS_PER_ADDRESS_PER_DAY, perDay: e.INQUIRIES_PER_DAY },
      malwareScan: {
        clamd: e.CLAMD_SOCKET ? { socket: path.resolve(e.CLAMD_SOCKET) } : e.CLAMD_HOST ? { host: e.CLAMD_HOST, port: e.CLAMD_PORT } : undefined,
        connectTimeoutMs: e.CLAMD_CONNECT_TIMEOUT_MS,
        replyTimeoutMs: e.CLAMD_REPLY_TIMEOUT_MS,
        maxStreamBytes: e.CLAMD_MAX_STREAM_BYTES,
        intervalMs: e.MALWARE_SCAN_INTERVAL_HOURS * 3_600_000,
        paths: e.MALWARE_SCAN_PATHS ? e.MALWARE_SCAN_PATHS.split(',').map((p) => p.trim()).filter(Boolean).map((p) => path.resolve(p)) : undefined,
      },
      integrity: {
        intervalMs: e.INTEGRITY_CHECK_INTERVAL_SECONDS * 1000,
        keyFile: e.INTEGRITY_KEY_FILE ? path.resolve(e.INTEGRITY_KEY_FILE) : undefined,
        root: e.INTEGRITY_ROOT ? path.resolve(e.INTEGRITY_ROOT) : undefined,
      },
      chromiumPath: e.CHROMIUM_PATH,
      incidentNotices: { sendPerMinute: e.NOTICE_SEND_PER_MINUTE },
      shopPause: { pollMs: e.SHOP_PAUSE_POLL_SECONDS * 1000 },
      securityCommittee: { submitByDay: e.MONTHLY_REPORT_SUBMIT_BY_DAY, approveByDay: e.MONTHLY_REPORT_APPROVE_BY_DAY },
      panScan: { intervalMs: e.PAN_SCAN_INTERVAL_HOURS * 3_600_000, extraPaths: (e.PAN_SCAN_EXTRA_PATHS ?? '').split(',').map((p) => p.trim()).filter(Boolean).map((p) => path.resolve(p)) },
      backup: { dir: path.resolve(e.BACKUP_DIR ?? path.join(dataDir, 'backups')), intervalMs: e.BACKUP_INTERVAL_HOURS * 3_600_000, keep: e.BACKUP_KEEP },
      alerts: { webhook: e.ALERT_WEBHOOK_URL && e.ALERT_WEBHOOK_SECRET ? { url: e.ALERT_WEBHOOK_URL, secret: e.ALERT_WEBHOOK_SECRET } : undefined },
      // Issue 17 (bugs)
      storeApi: { returnOrigins: e.STORE_API_RETURN_ORIGINS.map((o) => new URL(o).origin), corsOrigins: e.STORE_API_CORS_ORIGINS.map((o) => new URL(o).origin) },
      contact: { email: e.SHOP_CONTACT_EMAIL, phone: e.SHOP_CONTACT_PHONE, address: e.SHOP_CONTACT_ADDRESS, hours: e.SHOP_CONTACT_HOURS },
      stockDisplay: { mode: e.STOREFRONT_STOCK_DISPLAY, lowThreshold: e.STOREFRONT_LOW_STOCK_THRESHOLD },
      customerAccounts: {
        verifyLinkMs: e.CUSTOMER_VERIFY_LINK_MINUTES * 60_000, resetLinkMs: e.CUSTOMER_RESET_LINK_MINUTES * 60_000,
        sessionIdleMs: e.CUSTOMER_SESSION_IDLE_MINUTES * 60_000, sessionMaxMs: e.CUSTOMER_SESSION_MAX_DAYS * 86_400_000,
        apiTokenMs: e.CUSTOMER_API_TOKEN_DAYS * 86_400_000,
        loginDelayStepMs: e.CUSTOMER_LOGIN_DELAY_STEP_MS, lockout: { perAddress: e.CUSTOMER_LOCKOUT_PER_ADDRESS, minutes: e.CUSTOMER_LOCKOUT_MINUTES },
        authPerMinute: e.CUSTOMER_AUTH_PER_MINUTE,
      },
      terminal: { noColor: e.NO_COLOR !== undefined && e.NO_COLOR !== '', forceColor: e.FORCE_COLOR !== undefined && e.FORCE_COLOR !== '' && e.FORCE_COLOR !== '0' },
      payment: {
        provider: e.PAYMENT_PROVIDER,
        paygateHost: e.PAYGATE_HOST,
        paygatePort: e.PAYGATE_PORT,
        paygateUrl,
        paygateUrlConfigured: e.PAYGATE_URL !== undefined,
        stripe: e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET } : undefined,
      },
    },
  };
}

/** `https://store.example.jp` (an optional trailing slash), nothing after the origin. */
function isOriginOnly(v: string): boolean {
  try {
    const u = new URL(v);
    return /^https?:$/.test(u.protocol) && u.origin === v.replace(/\/$/, '').toLowerCase();
  } catch {
    return false;
  }
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** `09:00-18:00` → minutes after midnight; `off` → undefined (vendors may sign in at any hour). */
export function parseVendorHours(v: string): { ok: true; value: { startMinute: number; endMinute: number } | undefined } | { ok: false; error: string } {
  if (/^off$/i.test(v)) return { ok: true, value: undefined };
  const m = /^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)$/.exec(v);
  const startMinute = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  const endMinute = m ? Number(m[3]) * 60 + Number(m[4]) : NaN;
  if (!m || endMinute > 24 * 60 || startMinute === endMinute) return { ok: false, error: 'must be HH:MM-HH:MM (e.g. 09:00-18:00) or off' };
  return { ok: true, value: { startMinute, endMinute } };
}

/** `mon-fri`, `sat,sun`, `mon-wed,fri` → day numbers (0 = Sunday). */
export function parseWeekdays(v: string): { ok: true; value: number[] } | { ok: false; error: string } {
  const days = new Set<number>();
  for (const part of v.toLowerCase().split(',').map((p) => p.trim())) {
    const [from, to = from] = part.split('-').map((p) => WEEKDAYS.indexOf(p.trim() as (typeof WEEKDAYS)[number]));
    if (from === undefined || to === undefined || from < 0 || to < 0) return { ok: false, error: 'must be weekdays such as mon-fri or mon,tue,sat' };
    for (let d = from; ; d = (d + 1) % 7) { days.add(d); if (d === to) break; }
  }
  return { ok: true, value: [...days].sort() };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export type TrustProxySetting = false | string[];

/**
 * TRUST_PROXY: unset/false, or the proxy's addresses and CIDRs. "true" is refused: it would
 * believe every X-Forwarded-For hop, so any client could name its own address and pass the admin
 * allow-list or dodge the per-address limits. A hop count is refused too: it cannot tell whether
 * the request really came through the proxy (Fastify ignores X-Forwarded-For for one).
 */
export function parseTrustProxy(raw: string | undefined): { ok: true; value: TrustProxySetting } | { ok: false; error: string } {
  const v = raw?.trim() ?? '';
  if (v === '' || v === 'false' || v === '0') return { ok: true, value: false };
  if (v === 'true') {
    return { ok: false, error: 'true would trust every X-Forwarded-For hop, so a client could choose its own address; write the proxy\'s address or CIDR instead (e.g. TRUST_PROXY=127.0.0.1 or TRUST_PROXY=10.0.0.0/24)' };
  }
  if (/^\d{1,2}$/.test(v)) {
    return { ok: false, error: `a hop count cannot check that a request came through the proxy; write the proxy's address or CIDR instead (e.g. TRUST_PROXY=127.0.0.1)` };
  }
  const entries = v.split(',').map((x) => x.trim()).filter(Boolean);
  const probe = new BlockList();
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (!family || rest.length > 0 || (bits !== undefined && (!/^\d{1,3}$/.test(prefix!) || bits > maxBits))) {
      return { ok: false, error: `not an IP address, CIDR or hop count: ${entry}` };
    }
    if (bits !== undefined) probe.addSubnet(address!, bits, family === 6 ? 'ipv6' : 'ipv4');
  }
  return { ok: true, value: entries };
}

/** A copy of this process's environment for child processes (the sandbox gateway, nmap, testssl). */
export function inheritedEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}

export class ConfigError extends Error {}

/** For the CLIs: the configuration of this process's environment, or a ConfigError naming the variable. */
export function configFromEnvironment(env: NodeJS.ProcessEnv = process.env): ShopConfig {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new ConfigError(`invalid configuration: ${loaded.errors.join('; ')}`);
  return loaded.config;
}
