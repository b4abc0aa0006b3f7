import type { Knex } from 'knex';

/**
 * Invitations that link a nominated person to their file. Only the SHA-256 of the token travels
 * to the database (the token itself exists only in the mail), so a leaked table opens nothing.
 * An invitation is single-use (`used_at`), expires (`expires_at`) and is revoked when a new one is
 * sent (`revoked_at`): at most one live invitation per file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mobility_invitations', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('file_id').notNullable().references('mobility_files.id').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    t.string('email', 320).notNullable();
    t.string('language', 2).notNullable();
    t.bigInteger('outbox_id');
    t.integer('created_by').references('persons.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.integer('used_by').references('persons.id').onDelete('SET NULL');
    t.timestamp('revoked_at', { useTz: true });
    t.index(['institution_id', 'file_id']);
  });
  // one live invitation per file: a re-send revokes the previous one in the same transaction
  await knex.raw('create unique index mobility_invitations_one_live on mobility_invitations (file_id) where used_at is null and revoked_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mobility_invitations');
}
