import type { Knex } from 'knex';

/**
 * The course choice of a mobility file and the seats of teaching elements.
 *
 * - `course_picker_choices`: one per file; `version` detects concurrent edits (every change moves it
 *   on); `submitted_at` is set while the choice is with the referents (the student cannot change it).
 * - `course_picker_items`: the chosen elements, by code and academic year (never a foreign key to the
 *   catalogue: an element removed there stays in the choice, flagged), with snapshots of what the
 *   student saw when choosing and the referent's decision.
 * - `course_picker_seats`: capacity per element and year (null: unlimited) and seats taken, moved on
 *   by a conditional update inside the approval's transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('course_picker_choices', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('file_id').notNullable().references('mobility_files.id').onDelete('CASCADE');
    // ISO 639-1 code → CEFR level, as the student declared them
    t.jsonb('language_levels').notNullable().defaultTo('{}');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('submitted_at', { useTz: true });
    t.timestamps(true, true);
    t.unique(['file_id']);
    t.index(['institution_id']);
  });

  await knex.schema.createTable('course_picker_items', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('choice_id').notNullable().references('course_picker_choices.id').onDelete('CASCADE');
    t.string('code', 64).notNullable();
    t.integer('year').notNullable();
    // S1 | S2, chosen by the student for elements the catalogue gives no semester
    t.string('term', 2);
    // snapshots at choice time
    t.string('title_fr', 300).notNullable();
    t.string('title_en', 300);
    t.decimal('ects', 6, 2);
    t.string('semester', 10);
    t.string('component_code', 64);
    t.boolean('prerequisites_confirmed').notNullable().defaultTo(false);
    // pending | approved | refused
    t.string('decision', 10).notNullable().defaultTo('pending');
    t.text('decision_comment');
    t.integer('decided_by').references('persons.id').onDelete('SET NULL');
    t.string('decided_by_label', 300);
    t.timestamp('decided_at', { useTz: true });
    // a seat of course_picker_seats is held for this item (given back if the decision changes)
    t.boolean('seat_taken').notNullable().defaultTo(false);
    t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['choice_id', 'code']);
    t.index(['institution_id', 'year', 'code']);
  });
  await knex.raw(`alter table course_picker_items add constraint course_picker_items_decision check (decision in ('pending', 'approved', 'refused'))`);

  await knex.schema.createTable('course_picker_seats', (t) => {
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('year').notNullable();
    t.string('code', 64).notNullable();
    // null: unlimited; the row then only counts the seats taken
    t.integer('capacity');
    t.integer('taken').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['institution_id', 'year', 'code']);
  });
  await knex.raw('alter table course_picker_seats add constraint course_picker_seats_taken check (taken >= 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('course_picker_seats');
  await knex.schema.dropTableIfExists('course_picker_items');
  await knex.schema.dropTableIfExists('course_picker_choices');
}
