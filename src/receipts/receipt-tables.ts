// Table type of the receipts (migration 0760_order_receipts).
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface OrderReceiptTable {
  order_id: string;
  /** 宛名 as the customer set it at the first issue (card-number guarded free text). */
  addressee: string;
  first_issued_at: string;
  last_issued_at: string;
  /** 1 after the first issue; above 1 the receipt printed is a 再発行. */
  issue_count: number;
}

export type ReceiptTables = { order_receipts: OrderReceiptTable };
export type OrderReceiptRow = Selectable<OrderReceiptTable>;

export function receiptDb(db: Kysely<Database> | Kysely<any>): Kysely<Database & ReceiptTables> {
  return (db as Kysely<Database>).withTables<ReceiptTables>();
}
