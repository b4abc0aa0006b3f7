import type { Knex } from 'knex';

/**
 * Mail templates: one row per institution, template key and language. `version` grows at each save
 * (optimistic locking: a save names the version it was built from).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mailing_templates', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('key', 100).notNullable();
    t.string('language', 2).notNullable(); // fr | en
    t.string('subject', 500).notNullable();
    t.text('body').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['institution_id', 'key', 'language']);
  });
  await knex.raw(`alter table mailing_templates add constraint mailing_templates_language check (language in ('fr', 'en'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mailing_templates');
}
