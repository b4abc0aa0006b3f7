import type { Knex } from 'knex';

/**
 * People, identities, roles, privileges, scoped assignments, automatic role rules, components,
 * the append-only audit log and the shared key-value store.
 */
export async function up(knex: Knex): Promise<void> {
  // A person is platform-wide: the same human can be an incoming student in one institution and staff in another.
  await knex.schema.createTable('persons', (t) => {
    t.increments('id');
    t.string('display_name', 300).notNullable();
    t.string('given_name', 200);
    t.string('family_name', 200);
    t.string('email', 320);
    t.timestamps(true, true);
    t.index(['email']);
  });
  await knex.schema.createTable('person_identities', (t) => {
    t.increments('id');
    t.integer('person_id').notNullable().references('persons.id').onDelete('CASCADE');
    t.string('provider', 50).notNullable();
    t.string('issuer', 500).notNullable();
    t.string('subject', 500).notNullable();
    t.jsonb('attributes').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_sign_in_at', { useTz: true });
    t.unique(['provider', 'issuer', 'subject']);
    t.index(['person_id']);
  });
  // The people an institution knows (signed in there, invited, or given a role there): its only view of `persons`.
  await knex.schema.createTable('institution_people', (t) => {
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('person_id').notNullable().references('persons.id').onDelete('CASCADE');
    t.timestamp('first_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_sign_in_at', { useTz: true });
    t.primary(['institution_id', 'person_id']);
  });
  await knex.schema.createTable('components', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('code', 64).notNullable();
    t.string('name_fr', 300).notNullable();
    t.string('name_en', 300).notNullable();
    t.unique(['institution_id', 'code']);
  });
  await knex.schema.createTable('roles', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('key', 50).notNullable();
    t.string('name_fr', 200).notNullable();
    t.string('name_en', 200).notNullable();
    t.integer('parent_id').references('roles.id').onDelete('SET NULL');
    t.boolean('external_access').notNullable().defaultTo(false);
    t.boolean('system').notNullable().defaultTo(false);
    t.timestamps(true, true);
    t.unique(['institution_id', 'key']);
  });
  await knex.schema.createTable('role_privileges', (t) => {
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('role_id').notNullable().references('roles.id').onDelete('CASCADE');
    t.string('privilege', 120).notNullable();
    t.primary(['role_id', 'privilege']);
    t.index(['institution_id']);
  });
  // Privileges whose default roles were applied once: an admin's later removal sticks, a new plugin's privileges get their defaults.
  await knex.schema.createTable('privilege_defaults', (t) => {
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('privilege', 120).notNullable();
    t.primary(['institution_id', 'privilege']);
  });
  await knex.schema.createTable('role_rules', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    t.jsonb('conditions').notNullable().defaultTo('[]');
    t.integer('role_id').notNullable().references('roles.id').onDelete('CASCADE');
    t.jsonb('scope').notNullable().defaultTo('{"kind":"institution"}');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.integer('position').notNullable().defaultTo(0);
    t.timestamps(true, true);
    t.index(['institution_id', 'position']);
  });
  await knex.schema.createTable('role_assignments', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('person_id').notNullable().references('persons.id').onDelete('CASCADE');
    t.integer('role_id').notNullable().references('roles.id').onDelete('CASCADE');
    t.specificType('components', 'text[]').notNullable().defaultTo('{}');
    t.string('source', 10).notNullable().defaultTo('manual'); // manual | rule
    t.integer('rule_id').references('role_rules.id').onDelete('CASCADE');
    t.integer('created_by').references('persons.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['institution_id', 'person_id']);
    t.index(['role_id']);
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    // no foreign keys: the log outlives what it talks about
    t.integer('institution_id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('actor_person_id');
    t.string('actor_label', 300).notNullable();
    t.string('ip', 64);
    t.string('request_id', 64);
    t.string('action', 120).notNullable();
    t.string('outcome', 10).notNullable().defaultTo('success');
    t.string('target_type', 60);
    t.string('target_id', 200);
    t.jsonb('before');
    t.jsonb('after');
    t.jsonb('detail');
    t.index(['institution_id', 'at']);
    t.index(['institution_id', 'action']);
  });
  // Append-only: the database itself refuses to change or remove an entry.
  await knex.raw(`
    create function smile_audit_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only' using errcode = '42501';
    end $$`);
  await knex.raw(`create trigger audit_log_append_only before update or delete on audit_log for each row execute function smile_audit_append_only()`);
  await knex.raw(`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function smile_audit_append_only()`);

  await knex.schema.alterTable('sessions', (t) => {
    t.integer('person_id').references('persons.id').onDelete('CASCADE');
    t.index(['person_id']);
  });
  await knex.schema.createTable('kv_store', (t) => {
    t.string('key', 300).primary();
    t.text('value').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kv_store');
  await knex.schema.alterTable('sessions', (t) => t.dropColumn('person_id'));
  await knex.raw('drop table audit_log');
  await knex.raw('drop function smile_audit_append_only()');
  for (const t of ['role_assignments', 'role_rules', 'privilege_defaults', 'role_privileges', 'roles', 'components', 'institution_people', 'person_identities', 'persons']) {
    await knex.schema.dropTable(t);
  }
}
