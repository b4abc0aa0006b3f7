import type { Knex } from 'knex';

/**
 * The IdPs an institution's users may sign in with (from its federations' metadata), the state of
 * the last refresh of each federation source, and the SP key pairs generated for the institution.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('auth_saml_idps', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('entity_id', 500).notNullable();
    // the federation source (URL or file) it was read from
    t.string('source', 500).notNullable();
    t.string('name_fr', 300).notNullable();
    t.string('name_en', 300).notNullable();
    // names, entityID and scopes, lower-cased and without accents: what the discovery search matches
    t.text('search').notNullable();
    t.string('sso_url', 1000).notNullable();
    t.string('slo_url', 1000);
    // base64 bodies of the IdP's signing certificates
    t.jsonb('certificates').notNullable().defaultTo('[]');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['institution_id', 'entity_id']);
  });
  await knex.schema.createTable('auth_saml_federation', (t) => {
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('source', 500).notNullable();
    t.timestamp('last_attempt_at', { useTz: true });
    t.timestamp('last_success_at', { useTz: true });
    t.text('last_error');
    t.integer('idp_count').notNullable().defaultTo(0);
    t.timestamp('valid_until', { useTz: true });
    // SHA-256 of the aggregate last loaded, to tell when it changed
    t.string('digest', 64);
    t.primary(['institution_id', 'source']);
  });
  await knex.schema.createTable('auth_saml_sp_keys', (t) => {
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('use', 12).notNullable(); // signing | encryption
    t.text('private_key').notNullable();
    t.text('certificate').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['institution_id', 'use']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('auth_saml_sp_keys');
  await knex.schema.dropTable('auth_saml_federation');
  await knex.schema.dropTable('auth_saml_idps');
}
