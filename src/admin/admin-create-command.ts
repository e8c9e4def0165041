// `npm run admin:create`: creates an owner account from the command line (the other way, besides
// the setup link, to get a first owner without any default credentials). E-mail and password
// come from --email/--password, from stdin (one per line), or from prompts on a terminal.
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { adminDb } from './admin-tables.ts';
import { accountForAudit, createAccount, ownerExists } from './admin-accounts.ts';
import { appendAuditEntry } from '../audit/audit-log.ts';
import { recordAlert } from '../alerts/raise-alert.ts';
import type { SecurityAlert } from '../alerts/alert-tables.ts';
import { newOwnerAlert } from './access-signals/account-signals.ts';

export interface CommandIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
}

const USAGE = 'usage: npm run admin:create -- [--email owner@example.jp] [--password …]\n'
  + '  without --password: prompted on a terminal (not echoed), or read from stdin (e-mail line first when --email is absent)\n';

const REFUSALS = {
  PASSWORD_TOO_SHORT: 'the password needs at least 12 characters',
  PASSWORD_TOO_LONG: 'the password is too long',
  PASSWORD_COMMON: 'the password is common or close to a breached one; choose another',
  EMAIL_TAKEN: 'an account with this e-mail address exists already',
} as const;

async function readAllLines(stdin: Readable): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
}

/** Asks on a terminal; the password is read with echo turned off. */
async function prompt(io: CommandIo, question: string, secret: boolean): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: true });
  if (secret) {
    const write = (rl as unknown as { _writeToOutput: (s: string) => void });
    write._writeToOutput = (s: string) => { if (s.includes(question)) io.stdout.write(question); };
  }
  try {
    return await rl.question(question);
  } finally {
    if (secret) io.stdout.write('\n');
    rl.close();
  }
}

/** How a new owner's alert reaches the owners beyond the dashboard (scripts/admin-create.ts: e-mail, webhook). */
export type DeliverAlert = (alert: SecurityAlert) => Promise<void>;

export async function runAdminCreate(argv: string[], db: Kysely<any>, io: CommandIo, now = new Date(), deliver?: DeliverAlert): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { email: { type: 'string' }, password: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
  } catch (err) {
    io.stderr.write(`admin:create: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let email = parsed.values.email;
  let password = parsed.values.password;
  if (email === undefined || password === undefined) {
    if (io.stdin.isTTY) {
      email ??= (await prompt(io, 'E-mail: ', false)).trim();
      if (password === undefined) {
        password = await prompt(io, 'Password (12+ characters): ', true);
        const again = await prompt(io, 'Password again: ', true);
        if (again !== password) {
          io.stderr.write('admin:create: the two passwords differ\n');
          return 1;
        }
      }
    } else {
      const lines = await readAllLines(io.stdin);
      if (email === undefined) email = (lines.shift() ?? '').trim();
      password ??= lines.shift() ?? '';
    }
  }
  const validEmail = z.email().max(254).safeParse(email.trim().toLowerCase());
  if (!validEmail.success) {
    io.stderr.write(`admin:create: not an e-mail address\n${USAGE}`);
    return 2;
  }
  const adb = adminDb(db);
  const hadOwner = await ownerExists(adb);
  const created = await createAccount(adb, { email: validEmail.data, password, role: 'owner' }, now);
  if (!created.ok) {
    io.stderr.write(`admin:create: refused: ${REFUSALS[created.error]}\n`);
    return 1;
  }
  const entry = await appendAuditEntry(db, { actor: 'cli', action: 'account.created', target: `account:${created.account.id}`, after: { ...accountForAudit(created.account), via: 'admin:create' }, at: now });
  // Whoever can run commands on the server can make an owner: every other owner hears of it.
  const raised = await recordAlert(db, newOwnerAlert(created.account, entry.id, 'admin:create', 'cli'), now);
  if (raised.isNew && deliver) await deliver(raised.alert);
  io.stdout.write(`Owner account ${created.account.email} created.${hadOwner ? ' (Another owner existed already.)' : ''}\n`
    + 'Log in at /admin/login; two-step verification (TOTP) is set up at the first login.\n');
  return 0;
}
