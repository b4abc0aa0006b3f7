import type { Knex } from 'knex';

/**
 * Documents of mobility files. A row is one upload; its bytes live in the document storage under
 * `storage_key` (random, never the uploaded name). A new upload of the same type replaces the
 * current one: the old row stays (history) with `superseded_at` set and the new one points at it
 * (`replaces_id`). At most one current document per file and type. `version` detects decisions
 * and replacements made meanwhile; document types get a version for their edit form.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mobility_document_types', (t) => {
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('mobility_documents', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('file_id').notNullable().references('mobility_files.id').onDelete('CASCADE');
    t.string('type_code', 64).notNullable();
    t.string('storage_key', 300).notNullable().unique();
    t.string('original_name', 255).notNullable();
    t.integer('size_bytes').notNullable();
    // the type found in the content (magic bytes), not the one the browser announced
    t.string('media_type', 100).notNullable();
    t.string('sha256', 64).notNullable();
    // pending | accepted | refused
    t.string('status', 20).notNullable().defaultTo('pending');
    t.integer('replaces_id').references('mobility_documents.id').onDelete('SET NULL');
    t.timestamp('superseded_at', { useTz: true });
    t.integer('uploaded_by').references('persons.id').onDelete('SET NULL');
    t.string('uploaded_by_label', 300).notNullable();
    t.timestamp('uploaded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('decided_by').references('persons.id').onDelete('SET NULL');
    t.string('decided_by_label', 300);
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_comment');
    t.integer('version').notNullable().defaultTo(1);
    t.index(['institution_id', 'file_id']);
  });
  // one current document per file and type: two uploads racing cannot both become current
  await knex.raw('create unique index mobility_documents_one_current on mobility_documents (file_id, type_code) where superseded_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mobility_documents');
  await knex.schema.alterTable('mobility_document_types', (t) => {
    t.dropColumn('updated_at');
    t.dropColumn('version');
  });
}
