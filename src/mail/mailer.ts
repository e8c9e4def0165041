// Outgoing e-mail through nodemailer: SMTP when SMTP_URL is set, otherwise each message is
// written as an .eml file under data/outbox/ so a fresh install can show what it would send.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';

export interface OutgoingMail { to: string; subject: string; text: string; html: string }

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
      async send(mail) {
        await transport.sendMail({ from: opts.from, ...mail });
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `files in ${opts.outboxDir} (set SMTP_URL to send real mail)`,
    async send(mail) {
      const info = await transport.sendMail({ from: opts.from, ...mail });
      // Each file holds a customer's address and order: 0700 folder, 0600 files.
      await mkdir(opts.outboxDir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
      await writeFile(path.join(opts.outboxDir, name), info.message as Buffer, { mode: 0o600, flag: 'wx' });
    },
  };
}
