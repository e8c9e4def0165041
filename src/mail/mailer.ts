// Outgoing e-mail through nodemailer: SMTP when SMTP_URL is set, otherwise each message is
// written as an .eml file under data/outbox/ so a fresh install can show what it would send.
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string; subject: string; text: string; html: string;
  /**
   * Makes a retry the same mail: it becomes the Message-ID, and the outbox writes a keyed mail
   * once (a second send with the key is a no-op). Bulk sends that resume after a crash use it.
   */
  idempotencyKey?: string;
}

/** `[A-Za-z0-9._-]`, so it is safe as a file name and inside a Message-ID. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._-]{8,100}$/;

function messageIdFor(key: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${key}@${domain}>`;
}

/**
 * The shared part of a message's MIME boundaries, in letters only. nodemailer's default is 16
 * random hex digits, which now and then hold a Luhn-valid 13-digit "Visa" (CI's pan-scan found
 * one in an outbox file); letters cannot form a digit run, so no mail looks like it holds a card.
 */
export function letterBoundary(): string {
  return Array.from(randomBytes(20), (b) => String.fromCharCode(97 + (b % 26))).join('');
}

export interface Mailer {
  /** Human-readable, for the start-up banner. */
  readonly description: string;
  send(mail: OutgoingMail): Promise<void>;
}

export function createMailer(opts: { smtpUrl?: string | undefined; outboxDir: string; from: string }): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    const host = new URL(opts.smtpUrl).host;
    return {
      description: `SMTP (${host})`,
      // SMTP cannot be asked whether a message was already accepted: after a crash between the
      // server's 250 and the caller's record, a retry goes out again with the same Message-ID,
      // which receiving systems may use to drop the copy.
      async send({ idempotencyKey, ...mail }) {
        await transport.sendMail({ from: opts.from, ...mail, baseBoundary: letterBoundary(), ...(idempotencyKey ? { messageId: messageIdFor(checkedKey(idempotencyKey), opts.from) } : {}) });
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `files in ${opts.outboxDir} (set SMTP_URL to send real mail)`,
    async send({ idempotencyKey, ...mail }) {
      const key = idempotencyKey === undefined ? undefined : checkedKey(idempotencyKey);
      const info = await transport.sendMail({ from: opts.from, ...mail, baseBoundary: letterBoundary(), ...(key ? { messageId: messageIdFor(key, opts.from) } : {}) });
      // Each file holds a customer's address and order: 0700 folder, 0600 files.
      await mkdir(opts.outboxDir, { recursive: true, mode: 0o700 });
      if (!key) {
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
        await writeFile(path.join(opts.outboxDir, name), info.message as Buffer, { mode: 0o600, flag: 'wx' });
        return;
      }
      // Written aside, then linked to its keyed name: the link is atomic and fails if the mail is
      // already there, so a crash leaves either no mail or the whole mail, and a retry adds none.
      const tmp = path.join(opts.outboxDir, `.tmp-${randomUUID()}`);
      await writeFile(tmp, info.message as Buffer, { mode: 0o600, flag: 'wx' });
      try {
        await link(tmp, path.join(opts.outboxDir, `keyed-${key}.eml`));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        await unlink(tmp);
      }
    },
  };
}

function checkedKey(key: string): string {
  if (!IDEMPOTENCY_KEY.test(key)) throw new Error('idempotency key must be 8–100 characters of A-Z a-z 0-9 . _ -');
  return key;
}
