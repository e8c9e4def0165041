// Issue 17, "Shop settings" and "legal pages": the merchant's own shop profile (one row, laid over
// SHOP_NAME / SHOP_CONTACT_* by src/shop-settings/shop-profile.ts) and the texts of the legal
// pages (特定商取引法に基づく表記, privacy policy, terms), per section and language. A column left
// NULL falls back to configuration; a missing legal text row falls back to the default template.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('shop_settings')
    // One row: the shop has one profile.
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('shop_name', 'text')
    .addColumn('company_name', 'text')
    .addColumn('representative', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('address', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('hours', 'text')
    .addColumn('invoice_registration_number', 'text')
    .addColumn('invoice_registrant', 'text', (c) => c.check(sql`invoice_registrant in ('corporation', 'individual')`))
    .addColumn('time_zone', 'text')
    .addColumn('tax_display', 'text', (c) => c.check(sql`tax_display in ('inclusive', 'exclusive')`))
    .addColumn('logo_path', 'text')
    .addColumn('bank_transfer_account', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('legal_texts')
    .addColumn('page', 'text', (c) => c.notNull().check(sql`page in ('tokushoho', 'privacy', 'terms')`))
    .addColumn('section', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().check(sql`locale in ('ja', 'en')`))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('legal_texts_pk', ['page', 'section', 'locale'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('legal_texts').execute();
  await db.schema.dropTable('shop_settings').execute();
}
