import type { Knex } from 'knex';

/**
 * Uploaded CSV files between their preview and their import (the import re-reads the very bytes
 * that were previewed), then the summary of what was imported. Kept one day.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sis_csv_uploads', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('person_id').references('persons.id').onDelete('SET NULL');
    t.integer('year').notNullable();
    // what the preview found in each file: name, size, format, encoding, delimiter, rows
    t.jsonb('files').notNullable().defaultTo('[]');
    // the sync run of the import, once committed
    t.integer('run_id');
    // after the import: counts and the first imported elements, for the result page
    t.jsonb('summary');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['institution_id', 'created_at']);
  });
  await knex.schema.createTable('sis_csv_upload_files', (t) => {
    t.increments('id');
    t.integer('upload_id').notNullable().references('sis_csv_uploads.id').onDelete('CASCADE');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('filename', 300).notNullable();
    t.binary('data').notNullable();
    t.index(['upload_id']);
    t.index(['institution_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sis_csv_upload_files');
  await knex.schema.dropTableIfExists('sis_csv_uploads');
}
