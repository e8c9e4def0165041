// Issue 14, "Compliance map" (src/compliance/): manual attestations of the map's items that software
// cannot check (who attested, when, until when, a note, an optional evidence file stored like the
// incident evidence: 0600 under DATA_DIR/compliance/, with its SHA-256). A withdrawal is a row of
// its own, so an attestation and the hash of its evidence are never rewritten.
import type { Kysely } from 'kysely';
import { isPostgres } from '../migrate.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = (col: any) => (pg ? col.generatedAlwaysAsIdentity().primaryKey() : col.autoIncrement().primaryKey());

  await db.schema.createTable('compliance_attestations')
    .addColumn('id', 'integer', autoId)
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('attested_by', 'text', (c) => c.notNull())
    .addColumn('attested_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('evidence_file_name', 'text')
    .addColumn('evidence_stored_name', 'text', (c) => c.unique())
    .addColumn('evidence_media_type', 'text')
    .addColumn('evidence_size_bytes', 'integer')
    .addColumn('evidence_sha256', 'text')
    .execute();
  await db.schema.createIndex('compliance_attestations_item_idx').on('compliance_attestations').columns(['item_id', 'id']).execute();

  await db.schema.createTable('compliance_attestation_withdrawals')
    .addColumn('attestation_id', 'integer', (c) => c.primaryKey().references('compliance_attestations.id'))
    .addColumn('withdrawn_by', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('compliance_attestation_withdrawals').execute();
  await db.schema.dropTable('compliance_attestations').execute();
}
