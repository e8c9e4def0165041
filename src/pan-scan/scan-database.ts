// Reads every text-like column of every table of the shop's database, a batch of rows at a time,
// and hands each value to the card-number detector. Tables and columns come from the catalog on
// each run (sqlite_master / pragma table_info; information_schema on PostgreSQL), so a table a
// later migration or a plug-in adds is searched without anyone listing it here.
import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database.ts';
import { printableRuns } from './scan-files.ts';
import type { PanFinding } from './pan-scan-report.ts';
import { findingsIn } from './pan-scan-report.ts';

export interface TableToScan {
  schema: string | undefined;
  table: string;
  /** Columns that can hold a card number as text (see `textLike`). */
  columns: string[];
  /** Columns of the key the rows are paged by (rowid on SQLite tables that have one). */
  key: string[];
}

export interface DatabaseScanStats { tables: number; columns: number; rows: number; batches: number; bytes: number }

/**
 * Declared types that can hold a card number: every character and JSON type, and the integer and
 * numeric types wide enough for 13–19 digits (a card stored as a number is still a card). Not
 * bytea: its text form is hex or octal escapes, which hide digits and make new ones.
 * SQLite keeps any value in any column, so there every column is read and numbers are kept.
 */
function textLikePostgres(dataType: string, udtName: string): boolean {
  if (['text', 'character varying', 'character', 'json', 'jsonb', 'xml', 'bigint', 'numeric', 'ARRAY'].includes(dataType)) return true;
  return dataType === 'USER-DEFINED' && ['citext'].includes(udtName);
}

const quote = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

export async function listTablesToScan(db: Kysely<any>, kind: DatabaseKind): Promise<TableToScan[]> {
  if (kind === 'sqlite') {
    const tables = await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
    const out: TableToScan[] = [];
    for (const t of tables.rows) {
      const cols = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${t.name})`.execute(db);
      const withoutRowid = /without\s+rowid/i.test(t.sql ?? '');
      const pk = cols.rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      out.push({ schema: undefined, table: t.name, columns: cols.rows.map((c) => c.name), key: withoutRowid ? pk : ['rowid'] });
    }
    return out;
  }
  const tables = await sql<{ table_schema: string; table_name: string }>`
    select table_schema, table_name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg_toast%'
    order by table_schema, table_name`.execute(db);
  const out: TableToScan[] = [];
  for (const t of tables.rows) {
    const cols = await sql<{ column_name: string; data_type: string; udt_name: string }>`
      select column_name, data_type, udt_name from information_schema.columns
      where table_schema = ${t.table_schema} and table_name = ${t.table_name} order by ordinal_position`.execute(db);
    const pk = await sql<{ column_name: string }>`
      select k.column_name from information_schema.table_constraints c
      join information_schema.key_column_usage k on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name and k.table_name = c.table_name
      where c.constraint_type = 'PRIMARY KEY' and c.table_schema = ${t.table_schema} and c.table_name = ${t.table_name}
      order by k.ordinal_position`.execute(db);
    const columns = cols.rows.filter((c) => textLikePostgres(c.data_type, c.udt_name)).map((c) => c.column_name);
    if (columns.length === 0) continue;
    // A table without a primary key is paged by its physical row id (ctid), stable while we read.
    out.push({ schema: t.table_schema, table: t.table_name, columns, key: pk.rows.length > 0 ? pk.rows.map((r) => r.column_name) : ['ctid'] });
  }
  return out;
}

function valueText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return printableRuns(Buffer.from(value)).map((r) => r.text).join('\n');
  if (Array.isArray(value) || typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Keyset paging (`where key > last order by key limit n`): each batch is one short query, so the
 * scan never holds a table in memory nor a long transaction open on a live shop.
 */
export async function scanTable(db: Kysely<any>, kind: DatabaseKind, t: TableToScan, opts: { batchSize: number; signal?: AbortSignal | undefined; onFinding(f: PanFinding): void; stats: DatabaseScanStats }): Promise<void> {
  const name = t.schema && kind === 'postgres' ? `${quote(t.schema)}.${quote(t.table)}` : quote(t.table);
  const keyCols = t.key.map(quote);
  const keyAliases = t.key.map((_, i) => `__k${i}`);
  // PostgreSQL reads every column as text here, so json, arrays and numbers arrive as they are stored.
  const cast = kind === 'postgres' ? (c: string) => `${quote(c)}::text` : quote;
  const selectList = [...keyCols.map((k, i) => `${k} as ${keyAliases[i]}`), ...t.columns.map((c, i) => `${cast(c)} as __c${i}`)].join(', ');
  const keyTuple = keyCols.length === 1 ? keyCols[0]! : `(${keyCols.join(', ')})`;
  let last: unknown[] | undefined;
  for (;;) {
    if (opts.signal?.aborted) throw new Error('pan-scan aborted');
    const after = last ? sql`where ${sql.raw(keyTuple)} > (${sql.join(last)})` : sql``;
    const query = sql`select ${sql.raw(selectList)} from ${sql.raw(name)} ${after} order by ${sql.raw(keyCols.join(', '))} limit ${sql.raw(String(opts.batchSize))}`;
    const rows = (await query.execute(db)).rows as Record<string, unknown>[];
    opts.stats.batches++;
    for (const row of rows) {
      opts.stats.rows++;
      const rowId = keyAliases.map((k) => String(row[k])).join(',');
      t.columns.forEach((column, i) => {
        const v = valueText(row[`__c${i}`]);
        if (v === undefined) return;
        opts.stats.bytes += v.length;
        for (const f of findingsIn(v)) opts.onFinding({ ...f, location: { kind: 'database', table: t.schema && t.schema !== 'public' ? `${t.schema}.${t.table}` : t.table, column, rowId } });
      });
    }
    if (rows.length < opts.batchSize) return;
    const lastRow = rows[rows.length - 1]!;
    last = keyAliases.map((k) => lastRow[k]);
    // Let the shop answer requests between batches (better-sqlite3 is synchronous).
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function scanDatabase(db: Kysely<any>, kind: DatabaseKind, opts: { batchSize: number; signal?: AbortSignal | undefined; onFinding(f: PanFinding): void }): Promise<DatabaseScanStats> {
  const stats: DatabaseScanStats = { tables: 0, columns: 0, rows: 0, batches: 0, bytes: 0 };
  const tables = await listTablesToScan(db, kind);
  for (const t of tables) {
    stats.tables++;
    stats.columns += t.columns.length;
    await scanTable(db, kind, t, { ...opts, stats });
  }
  return stats;
}
