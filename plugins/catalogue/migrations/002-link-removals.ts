import type { Knex } from 'knex';

/**
 * Placements a manager removed in the offer editor that came from an import: the next import must
 * not put them back. Adding the element there again by hand deletes the record.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('catalogue_link_removals', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('formation_id').notNullable().references('catalogue_formations.id').onDelete('CASCADE');
    t.integer('parent_id').references('catalogue_elements.id').onDelete('CASCADE');
    t.integer('child_id').notNullable().references('catalogue_elements.id').onDelete('CASCADE');
    t.timestamp('removed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create unique index catalogue_link_removals_unique on catalogue_link_removals (formation_id, coalesce(parent_id, 0), child_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('catalogue_link_removals');
}
