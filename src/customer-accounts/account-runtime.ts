// What the account services run on besides the shop context: the password hasher (a test counts
// its calls to prove an unknown e-mail costs the same work), the failed-login guard and the mail
// dispatch. Built once per app by routes.tsx.
import { hkdfSync, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ShopContext, ShopLogger } from '../shop-context.ts';
import type { Database } from '../db/schema.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import { hashPassword, verifyPassword } from '../admin/password-hashing.ts';
import { loadTotpKey, totpSecretBox, type TotpSecretBox } from '../admin/totp-secret-box.ts';
import { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from '../admin/login-throttle.ts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

/** The back office's scrypt (src/admin/password-hashing.ts). */
export const scryptHasher: PasswordHasher = { hash: hashPassword, verify: verifyPassword };

export interface CustomerAccountOptions {
  /** Tests wrap the hasher to count calls. */
  passwords?: PasswordHasher | undefined;
  /** How the failed-login delay is waited out (tests record it instead of sleeping). */
  waitMs?: ((ms: number) => Promise<void>) | undefined;
}

export interface AccountRuntime {
  shop: ShopContext;
  db: Kysely<Database>;
  now(): Date;
  passwords: PasswordHasher;
  /** A hash to compare against when the e-mail has no account, so a miss costs one scrypt too. */
  decoyHash(): Promise<string>;
  /** HMAC key for attempted e-mails in the failed-login counters. */
  loginNameKey(): Buffer;
  /** Per (e-mail, address): the pair's lock; the name everywhere after a distributed guess. */
  accountPolicy: LockoutPolicy;
  /** Per address over every e-mail tried from it (credential stuffing from one host). */
  addressPolicy: LockoutPolicy;
  totpBox(): TotpSecretBox;
  /**
   * Sends without making the answer wait for it: an SMTP round trip that happens only when the
   * e-mail has an account would tell the two apart by timing. Failures are logged; close() awaits.
   */
  /** `mail` may still be in the making (the shop's signature is read from its profile). */
  dispatchMail(mail: OutgoingMail | Promise<OutgoingMail>, log: ShopLogger): void;
  settleMails(): Promise<void>;
}

export function accountRuntime(shop: ShopContext, opts: CustomerAccountOptions = {}): AccountRuntime {
  const passwords = opts.passwords ?? scryptHasher;
  let decoy: Promise<string> | undefined;
  let root: Buffer | undefined;
  // Loaded on first use, as the back office does: building the routes creates no key file.
  const rootKey = () => (root ??= loadTotpKey({ ADMIN_TOTP_KEY: shop.config.admin.totpKey }, shop.config.dataDir));
  let nameKey: Buffer | undefined;
  let box: TotpSecretBox | undefined;
  const pending = new Set<Promise<void>>();
  const c = shop.config.customerAccounts;
  const accountPolicy: LockoutPolicy = { ...DEFAULT_LOCKOUT_POLICY, perAddress: c.lockout.perAddress, lockoutMs: c.lockout.minutes * 60_000 };
  return {
    shop,
    db: shop.db.db,
    now: () => shop.clock(),
    passwords,
    decoyHash: () => (decoy ??= passwords.hash(randomBytes(24).toString('base64'))),
    loginNameKey: () => (nameKey ??= Buffer.from(hkdfSync('sha256', rootKey(), Buffer.alloc(0), 'mamori customer login names v1', 32))),
    accountPolicy,
    // An office or a carrier NAT shares one address: five times the per-account allowance.
    addressPolicy: { ...accountPolicy, perAddress: accountPolicy.perAddress * 5, accountFailures: Number.MAX_SAFE_INTEGER },
    totpBox: () => (box ??= totpSecretBox(rootKey())),
    dispatchMail(mail, log) {
      // Read at send time: tests swap the context's mailer for a recording one.
      const p = Promise.resolve(mail).then((m) => shop.mailer.send(m)).catch((err: unknown) => log.error({ err }, 'account e-mail failed'));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async settleMails() {
      await Promise.all([...pending]);
    },
  };
}
