// A process that runs the incident-notice send loop on a database until nobody is left, for the
// crash test (src/incident-notices/notice-send-crash.test.ts), which SIGKILLs it mid-send.
// NOTICE_HANG_AFTER=N: after the N-th mail is in the outbox, hang before recording it as sent —
// the worst moment to die (the mail is out, the database still says 'sending').
import { openDatabase } from '../../src/db/database.ts';
import { createMailer, type Mailer } from '../../src/mail/mailer.ts';
import { silentLogger } from '../../src/shop-context.ts';
import { sendDueNotices } from '../../src/incident-notices/send-notices.ts';

const url = process.env.NOTICE_DB_URL!;
const outboxDir = process.env.NOTICE_OUTBOX!;
const hangAfter = process.env.NOTICE_HANG_AFTER ? Number(process.env.NOTICE_HANG_AFTER) : undefined;
const staleAfterMs = Number(process.env.NOTICE_STALE_MS ?? 60_000);

const db = openDatabase(url);
const fileMailer = createMailer({ outboxDir, from: 'Shop <shop@example.jp>' });
let sent = 0;
const mailer: Mailer = {
  description: fileMailer.description,
  async send(mail) {
    await fileMailer.send(mail);
    sent++;
    if (hangAfter !== undefined && sent >= hangAfter) {
      setInterval(() => {}, 60_000); // keeps the process alive until the test kills it
      await new Promise(() => {});
    }
  },
};
for (;;) {
  const r = await sendDueNotices({ db: db.db, mailer, clock: () => new Date(), publicUrl: 'https://shop.example.jp', perMinute: 10_000, log: silentLogger }, { staleAfterMs });
  if (r.remaining === 0) break;
}
await db.close();
