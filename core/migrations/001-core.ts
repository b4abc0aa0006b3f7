import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('institutions', (t) => {
    t.increments('id');
    t.string('code', 64).notNullable().unique();
    t.string('name_fr', 300).notNullable();
    t.string('name_en', 300).notNullable();
    t.string('schac_code', 255).unique();
    t.string('erasmus_code', 32);
    t.string('pic', 16);
    t.string('country', 2);
    t.specificType('host_names', 'text[]').notNullable().defaultTo('{}');
    t.string('default_language', 2).notNullable().defaultTo('fr');
    t.string('theme', 50).notNullable().defaultTo('base');
    t.jsonb('plugins').notNullable().defaultTo('{}');
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamps(true, true);
  });
  await knex.schema.createTable('plugins', (t) => {
    t.string('id', 50).primary();
    t.string('version', 40).notNullable();
    t.string('kind', 20).notNullable();
    t.string('state', 20).notNullable(); // installed | active | failed | missing
    t.text('last_error');
    t.timestamp('installed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('api_tokens', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    // first characters, to recognise a token in lists; the token itself is never stored
    t.string('prefix', 16).notNullable();
    t.string('hash', 128).notNullable().unique();
    t.specificType('permissions', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['institution_id']);
  });
  await knex.schema.createTable('mail_outbox', (t) => {
    t.bigIncrements('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('recipient', 320).notNullable();
    t.specificType('cc', 'text[]').notNullable().defaultTo('{}');
    t.string('subject', 500).notNullable();
    t.text('body_text').notNullable();
    t.text('body_html');
    t.string('tag', 200);
    t.string('status', 16).notNullable().defaultTo('queued'); // queued | sending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.string('message_id', 300);
    t.index(['status', 'next_attempt_at']);
    t.index(['institution_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mail_outbox');
  await knex.schema.dropTable('api_tokens');
  await knex.schema.dropTable('plugins');
  await knex.schema.dropTable('institutions');
}
