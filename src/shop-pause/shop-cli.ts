// `mamori shop stop|resume|status`: the kill switch from the command line, for when the back
// office itself is suspect. Writes the same rows, audit entries and NOTIFY as the back office, so
// every running instance follows within a second; the audit actor is `cli:<OS user>`.
// Exit codes: 0 done (or already in the asked state; status: nothing paused), 1 status: something
// is paused / resume: refused while an incident is open, 2 usage or database error.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { PAUSE_SCOPES, type PauseScope } from '../alerts/alert-tables.ts';
import { textWithoutCardNumber } from '../card-data/card-number-guard.ts';
import type { ResumeBlocker } from '../incidents/resumption-gate.ts';
import { incidentBlockingResume } from '../incidents/resumption-gate.ts';
import { activePauses, pauseShop, resumeShop, type Pauses, type ResumeGate } from './shop-pause.ts';

export const SHOP_HELP = `usage: mamori shop stop [--payments-only] [--message <text>] [--message-en <text>] [--reason <text>]
       mamori shop resume [--payments-only | --all] [--note <text>]
       mamori shop status [--format table|json]

The kill switch. Takes effect on every running instance within a second (PostgreSQL: NOTIFY;
SQLite: the next request reads it) and survives restarts; every stop and resume is audited as
cli:<your OS user>.

  stop              stop the whole storefront (every storefront and Store API route answers 503;
                    the back office, /healthz and payment notifications keep working)
    --payments-only   stop card payments only (checkout paused, browsing stays open)
    --message <text>  what customers read on the maintenance page (Japanese, or one text for both)
    --message-en <t>  the English text, if different
    --reason <text>   why, for the audit log (default: the message)
  resume            lift the storefront stop (default), card payments (--payments-only) or both
                    (--all); refused while an incident's resumption checklist is open
    --note <text>     what was checked, for the audit log
  status            what is stopped, since when, by whom, and whether an incident blocks resuming
    --format <f>      table (default) or json
  -h, --help        this text

Exit codes: 0 done / nothing stopped, 1 something is stopped (status) or resuming was refused, 2 usage or database error.
`;

const Text = (max: number) => textWithoutCardNumber(z.string().trim().min(1).max(max));

const ArgsSchema = z.discriminatedUnion('command', [
  z.object({ command: z.literal('stop'), paymentsOnly: z.boolean(), all: z.literal(false), message: Text(2000).optional(), messageEn: Text(2000).optional(), reason: Text(500).optional(), format: z.undefined(), note: z.undefined() }),
  z.object({ command: z.literal('resume'), paymentsOnly: z.boolean(), all: z.boolean(), note: Text(500).optional(), format: z.undefined(), message: z.undefined(), messageEn: z.undefined(), reason: z.undefined() })
    .refine((a) => !(a.paymentsOnly && a.all), { error: '--payments-only and --all exclude each other' }),
  z.object({ command: z.literal('status'), paymentsOnly: z.literal(false), all: z.literal(false), format: z.enum(['table', 'json']).default('table'), note: z.undefined(), message: z.undefined(), messageEn: z.undefined(), reason: z.undefined() }),
]);

export interface ShopCliDeps {
  /** The shop's database; default DATABASE_URL. */
  openDb: () => Promise<Pick<DatabaseHandle, 'db' | 'close'>>;
  out: (text: string) => void;
  err: (text: string) => void;
  clock: () => Date;
  /** The audit actor; default `cli:<OS user>`. */
  actor: () => string;
  resumeGate: ResumeGate;
}

function defaultDeps(): ShopCliDeps {
  return {
    openDb: async () => {
      const loaded = loadConfig();
      if (!loaded.ok) throw new Error(`invalid configuration: ${loaded.errors.join('; ')}`);
      const { openDatabase } = await import('../db/database.ts');
      return openDatabase(loaded.config.databaseUrl);
    },
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    clock: () => new Date(),
    actor: () => {
      let user = 'unknown';
      try { user = userInfo().username; } catch { /* a uid without a passwd entry (containers) */ }
      return `cli:${user}`;
    },
    resumeGate: incidentBlockingResume,
  };
}

const SCOPE_LABEL: Record<PauseScope, string> = { card_payments: 'card payments', storefront: 'storefront' };

function blockerText(b: ResumeBlocker): string {
  return `Refused: incident ${b.reference} is open and its resumption checklist is not complete.\n` +
    (b.openItems.length ? `Open items:\n${b.openItems.map((i) => `  - ${i}`).join('\n')}\n` : '');
}

function statusTable(pauses: Pauses, blocker: ResumeBlocker | null): string {
  const lines = PAUSE_SCOPES.map((scope) => {
    const p = pauses[scope];
    return p
      ? `${SCOPE_LABEL[scope].padEnd(13)}  STOPPED since ${p.paused_at} by ${p.paused_by}; reason: ${p.reason}${p.message ? `; message: ${p.message}` : ''}${p.message_en ? `; message (en): ${p.message_en}` : ''}`
      : `${SCOPE_LABEL[scope].padEnd(13)}  running`;
  });
  if (pauses.storefront && !pauses.card_payments) lines.push('(card payments are stopped with the storefront)');
  if (blocker) lines.push(`Resuming is blocked by incident ${blocker.reference}: ${blocker.openItems.length} open item(s)${blocker.openItems.length ? `: ${blocker.openItems.join('; ')}` : ''}`);
  return lines.join('\n') + '\n';
}

function statusJson(pauses: Pauses, blocker: ResumeBlocker | null): string {
  const scope = (s: PauseScope) => {
    const p = pauses[s];
    return p ? { stopped: true, since: p.paused_at, by: p.paused_by, reason: p.reason, message: p.message, messageEn: p.message_en, alertId: p.alert_id } : { stopped: false };
  };
  return JSON.stringify({ storefront: scope('storefront'), cardPayments: { ...scope('card_payments'), ...(pauses.storefront ? { stoppedWithStorefront: true } : {}) }, resumeBlocker: blocker }, null, 2) + '\n';
}

export async function run(args: string[], overrides: Partial<ShopCliDeps> = {}): Promise<number> {
  const deps = { ...defaultDeps(), ...overrides };
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true,
      options: {
        'payments-only': { type: 'boolean' }, all: { type: 'boolean' }, message: { type: 'string' }, 'message-en': { type: 'string' },
        reason: { type: 'string' }, note: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    deps.err(`mamori shop: ${err instanceof Error ? err.message : String(err)}\n\n${SHOP_HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    deps.out(SHOP_HELP);
    return 0;
  }
  const v = parsed.values;
  const checked = ArgsSchema.safeParse({
    command: parsed.positionals[0], paymentsOnly: v['payments-only'] ?? false, all: v.all ?? false,
    message: v.message, messageEn: v['message-en'], reason: v.reason, note: v.note, format: v.format,
  });
  if (!checked.success || parsed.positionals.length !== 1) {
    const why = checked.success ? 'one command: stop, resume or status' : checked.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    deps.err(`mamori shop: ${why}\n\n${SHOP_HELP}`);
    return 2;
  }
  const a = checked.data;

  let handle: Awaited<ReturnType<ShopCliDeps['openDb']>>;
  try {
    handle = await deps.openDb();
  } catch (err) {
    deps.err(`mamori shop: cannot open the database: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  try {
    let pauses: Pauses;
    try {
      pauses = await activePauses(handle.db);
    } catch (err) {
      deps.err(`mamori shop: cannot read the pause table (has the shop run its migrations?): ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    const actor = { id: deps.actor() };
    if (a.command === 'status') {
      const blocker = Object.keys(pauses).length ? await deps.resumeGate(handle.db) : null;
      deps.out(a.format === 'json' ? statusJson(pauses, blocker) : statusTable(pauses, blocker));
      return Object.keys(pauses).length ? 1 : 0;
    }
    if (a.command === 'stop') {
      const scope: PauseScope = a.paymentsOnly ? 'card_payments' : 'storefront';
      const reason = a.reason ?? a.message ?? `stopped with mamori shop stop by ${actor.id}`;
      const { paused } = await pauseShop(handle.db, { scope, reason, message: a.message, messageEn: a.messageEn, actor }, deps.clock());
      if (paused) deps.out(`Stopped: ${SCOPE_LABEL[scope]} (as ${actor.id}). Running instances follow within a second.\n`);
      else {
        const p = (await activePauses(handle.db))[scope];
        deps.out(`Already stopped: ${SCOPE_LABEL[scope]}${p ? ` since ${p.paused_at} by ${p.paused_by}` : ''}; the existing stop and its message are kept.\n`);
      }
      return 0;
    }
    const scopes: PauseScope[] = a.all ? ['storefront', 'card_payments'] : a.paymentsOnly ? ['card_payments'] : ['storefront'];
    const note = a.note ?? `resumed with mamori shop resume by ${actor.id}`;
    const ctx = { db: handle, clock: deps.clock };
    for (const scope of scopes) {
      const r = await resumeShop(ctx, scope, actor, note, { resumeGate: deps.resumeGate });
      if (r.ok) deps.out(`Resumed: ${SCOPE_LABEL[scope]} (as ${actor.id}).\n`);
      else if (r.error === 'NOT_PAUSED') deps.out(`Not stopped: ${SCOPE_LABEL[scope]}; nothing to resume.\n`);
      else {
        deps.err(blockerText(r.blocker));
        return 1;
      }
    }
    const left = await activePauses(handle.db);
    if (left.card_payments && !scopes.includes('card_payments')) deps.out(`Card payments stay stopped (since ${left.card_payments.paused_at} by ${left.card_payments.paused_by}): \`mamori shop resume --payments-only\` lifts them.\n`);
    return 0;
  } finally {
    await handle.close();
  }
}
