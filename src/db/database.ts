// Opens the shop's database: embedded SQLite by default, PostgreSQL when the URL says so.
// Every feature receives the handle from the composition root; nothing opens its own.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.ts';
import { ensurePrivateDatabaseFile } from './data-dir-permissions.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** What the inventory reports: SQLite library version or PostgreSQL server_version. */
  engineVersion(): Promise<string>;
  close(): Promise<void>;
  /**
   * SQLite only: a value that differs whenever anything was written to the file since it was last
   * read, by this connection (total_changes()) or by any other, in this process or another
   * (PRAGMA data_version). Two prepared statements, no Kysely round trip: what lets a per-request
   * read (the storefront stop) be kept without missing a change.
   */
  changeMarker?(): string;
}

// pg returns int8 (COUNT, SUM, bigint ids) as strings to avoid precision loss; our
// integers (yen, counts) stay far below 2^53, so parse them as numbers once, here.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number(v)); // numeric

/**
 * Kysely's SQLite driver prepares every query anew; preparing was the largest single cost of a
 * product page (profiled: 12% of CPU). Queries are built from a small set of shapes, so keep
 * prepared statements in a bounded LRU keyed by their SQL text.
 */
function withStatementCache(db: SQLite.Database, max = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => db.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (stmt) {
        cache.delete(sqlText);
      } else {
        stmt = db.prepare(sqlText);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sqlText, stmt);
      return stmt;
    },
  };
}

export function openDatabase(url: string): DatabaseHandle {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection can be closed by the server (restart, failover, admin action). pg
    // reports that on the pool; unheard, it would crash the process. The pool replaces the
    // connection on next use, so noting it is enough.
    pool.on('error', (err) => {
      process.emitWarning(`PostgreSQL connection lost: ${err.message}`, { code: 'MAMORI_PG_IDLE_ERROR' });
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      async engineVersion() {
        const r = await pool.query<{ server_version: string }>('show server_version');
        return r.rows[0]?.server_version ?? 'unknown';
      },
      close: () => db.destroy(),
    };
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (file !== ':memory:') {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    // Personal data: 0600, which SQLite carries over to the -wal and -shm files it creates.
    ensurePrivateDatabaseFile(file);
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Every commit is synced to disk; only cart writes opt out, one transaction at a time (losable-transaction.ts).
  sqlite.pragma('synchronous = FULL');
  const dialect: Dialect = new SqliteDialect({ database: withStatementCache(sqlite) });
  const db = new Kysely<Database>({ dialect });
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const totalChanges = sqlite.prepare('SELECT total_changes()').pluck();
  return {
    db,
    kind: 'sqlite',
    changeMarker: () => `${dataVersion.get() as number}:${totalChanges.get() as number}`,
    async engineVersion() {
      return (sqlite.prepare('select sqlite_version() as v').get() as { v: string }).v;
    },
    close: () => db.destroy(),
  };
}
