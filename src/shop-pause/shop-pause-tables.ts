// The pause table as migration 0490 left it: 0450's row (alerts/alert-tables.ts) plus the English
// customer message of a storefront stop. Reached with db.withTables<ShopPauseTables>().
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AlertTables, ShopPauseTable } from '../alerts/alert-tables.ts';

export type StopMessageTable = ShopPauseTable & {
  /** English customer message; `message` is the Japanese one, or the one text for both languages. */
  message_en: string | null;
};

export type ShopPauseTables = Omit<AlertTables, 'shop_pauses'> & { shop_pauses: StopMessageTable };

export type ShopPauseRow = Selectable<StopMessageTable>;

export function shopPauseDb(db: Kysely<any>): Kysely<Database & ShopPauseTables> {
  return (db as Kysely<Database>).withTables<ShopPauseTables>();
}
