import type { Knex } from 'knex';

/**
 * Optimistic locking for the configuration pages: two managers editing the same exchange type or
 * application period must not overwrite each other silently. Each save bumps `version`; a form
 * built on an older version is refused with a conflict message.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mobility_exchange_types', (t) => {
    t.integer('version').notNullable().defaultTo(1);
  });
  await knex.schema.alterTable('mobility_application_periods', (t) => {
    t.integer('version').notNullable().defaultTo(1);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mobility_application_periods', (t) => t.dropColumn('version'));
  await knex.schema.alterTable('mobility_exchange_types', (t) => t.dropColumn('version'));
}
