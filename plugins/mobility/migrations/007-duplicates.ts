import type { Knex } from 'knex';

/**
 * Decisions on suspected duplicates: a pair of files a manager looked at, kept both or merged. The
 * pair is stored in id order (file_a < file_b) so that one pair has one row whichever way it was
 * shown; the unique key makes two managers deciding the same pair at once a conflict, not two rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mobility_duplicate_decisions', (t) => {
    t.bigIncrements('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('file_a').notNullable().references('mobility_files.id').onDelete('CASCADE');
    t.integer('file_b').notNullable().references('mobility_files.id').onDelete('CASCADE');
    // keep | merge
    t.string('decision', 10).notNullable();
    // for a merge, the file that stayed
    t.integer('kept_file_id').references('mobility_files.id').onDelete('SET NULL');
    t.integer('person_id').references('persons.id').onDelete('SET NULL');
    // who decided, kept if the person is removed
    t.string('label', 300).notNullable();
    t.timestamp('decided_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['institution_id', 'file_a', 'file_b']);
    t.index(['file_b']);
  });
  await knex.raw(`alter table mobility_duplicate_decisions add constraint mobility_duplicate_decisions_order check (file_a < file_b)`);
  await knex.raw(`alter table mobility_duplicate_decisions add constraint mobility_duplicate_decisions_kind check (decision in ('keep', 'merge'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mobility_duplicate_decisions');
}
