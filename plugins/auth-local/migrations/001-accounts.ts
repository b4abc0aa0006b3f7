import type { Knex } from 'knex';

/** Local accounts (email + scrypt hash + optional TOTP secret) and the invitations that create them. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('auth_local_accounts', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('person_id').notNullable().references('persons.id').onDelete('CASCADE');
    // stored trimmed and in lower case: one account per address and institution
    t.string('email', 320).notNullable();
    // `scrypt$N=…,r=…,p=…$salt$key`: the parameters travel with the hash
    t.string('password_hash', 300).notNullable();
    t.timestamp('password_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // base32 TOTP secret; null until the person confirms a code
    t.string('totp_secret', 64);
    t.timestamp('totp_enabled_at', { useTz: true });
    t.integer('invitation_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_sign_in_at', { useTz: true });
    t.unique(['institution_id', 'email']);
    t.index(['person_id']);
  });
  await knex.schema.createTable('auth_local_invitations', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('email', 320).notNullable();
    t.string('display_name', 300);
    t.specificType('roles', 'text[]').notNullable();
    t.specificType('components', 'text[]').notNullable().defaultTo('{}');
    // SHA-256 of the link's token: the token itself is only in the mail
    t.string('token_hash', 64).notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.integer('invited_by').references('persons.id').onDelete('SET NULL');
    t.string('invited_by_label', 300).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('send_count').notNullable().defaultTo(1);
    t.timestamp('accepted_at', { useTz: true });
    t.integer('account_id').references('auth_local_accounts.id').onDelete('SET NULL');
    t.timestamp('revoked_at', { useTz: true });
    t.index(['institution_id', 'created_at']);
    t.index(['institution_id', 'email']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('auth_local_invitations');
  await knex.schema.dropTable('auth_local_accounts');
}
