import type { Knex } from 'knex';

/**
 * Messages between a file's person and the office, and the reminders already handled.
 * `mobility_reminders` is the guard against sending a reminder twice: its unique key (the step
 * visit, the reminder's days before, the deadline it was computed for) is inserted in the same
 * transaction as the mail, so two overlapping runs cannot both send it, and a moved deadline is a
 * new key (new reminders become due).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mobility_messages', (t) => {
    t.bigIncrements('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('file_id').notNullable().references('mobility_files.id').onDelete('CASCADE');
    t.integer('person_id').references('persons.id').onDelete('SET NULL');
    // the author's name when they wrote, kept if the person is removed
    t.string('author_label', 300).notNullable();
    // 'student' (the file's person) or 'office' (staff with read access to the file)
    t.string('author_side', 10).notNullable();
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['file_id', 'created_at']);
    t.index(['institution_id']);
  });
  await knex.raw(`alter table mobility_messages add constraint mobility_messages_side check (author_side in ('student', 'office'))`);

  await knex.schema.createTable('mobility_reminders', (t) => {
    t.bigIncrements('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('file_id').notNullable().references('mobility_files.id').onDelete('CASCADE');
    t.integer('visit_id').notNullable().references('mobility_file_steps.id').onDelete('CASCADE');
    t.integer('days_before').notNullable();
    t.timestamp('deadline_at', { useTz: true }).notNullable();
    // false: due when it could no longer help (its date was before the step started), recorded unsent
    t.boolean('mailed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['visit_id', 'days_before', 'deadline_at']);
    t.index(['institution_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mobility_reminders');
  await knex.schema.dropTableIfExists('mobility_messages');
}
