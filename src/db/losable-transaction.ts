// A transaction whose commit need not survive a power cut or an operating-system crash: the
// anonymous cart (its lines are a customer's convenience, re-added in a click, and stock is only
// reserved at checkout). Everything else (orders, payments, the audit chain, accounts) commits
// with the engine's full durability.
//
// Why: on SQLite a commit fsyncs the write-ahead log (synchronous = FULL), and better-sqlite3
// blocks the event loop for it, 150–250 µs here, so every add-to-cart stalled every other request.
// Both engines have a documented way to skip that wait for chosen transactions without risking
// corruption; a crash can only lose the latest such commits, never reorder or half-apply them:
// - SQLite, WAL mode: `synchronous = NORMAL` for this commit only (https://sqlite.org/pragma.html#pragma_synchronous);
//   the next FULL commit's sync carries these frames to disk too. The connection is held for the
//   pragma, the transaction and the switch back, so no other transaction commits under NORMAL.
// - PostgreSQL: `SET LOCAL synchronous_commit = off` (https://www.postgresql.org/docs/current/wal-async-commit.html).
import { sql, SqliteAdapter, type Kysely, type Transaction } from 'kysely';

/** `work` must use `trx` only: on SQLite the outer `db` waits for the connection this holds. */
export async function losableTransaction<DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    return db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = off`.execute(trx);
      return work(trx);
    });
  }
  return db.connection().execute(async (connection) => {
    await sql`pragma synchronous = normal`.execute(connection);
    try {
      return await connection.transaction().execute(work);
    } finally {
      await sql`pragma synchronous = full`.execute(connection);
    }
  });
}
