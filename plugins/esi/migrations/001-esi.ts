import type { Knex } from 'knex';

/**
 * One ESI per person, and the conflicts found when a second person presents an ESI someone holds.
 * Both tables are platform-wide, like `persons`: an ESI is globally unique, whatever the institution
 * where it was seen; managers see the rows about people their institution knows (`institution_people`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('esi_assignments', (t) => {
    t.integer('person_id').primary().references('persons.id').onDelete('CASCADE');
    t.string('esi', 255).notNullable();
    // SCHAC compares schacPersonalUniqueCode ignoring case: one person per lower-cased value
    t.string('esi_key', 255).notNullable().unique();
    t.string('source', 30).notNullable();
    t.integer('institution_id').references('institutions.id').onDelete('SET NULL');
    t.timestamps(true, true);
  });
  await knex.schema.createTable('esi_conflicts', (t) => {
    t.increments('id');
    t.string('esi', 255).notNullable();
    t.string('esi_key', 255).notNullable();
    t.integer('holder_person_id').notNullable().references('persons.id').onDelete('CASCADE');
    t.integer('claimant_person_id').notNullable().references('persons.id').onDelete('CASCADE');
    t.string('source', 30).notNullable();
    t.integer('institution_id').references('institutions.id').onDelete('SET NULL');
    t.string('status', 10).notNullable().defaultTo('open'); // open | resolved
    t.timestamp('detected_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('resolved_at', { useTz: true });
    t.integer('resolved_by').references('persons.id').onDelete('SET NULL');
    t.string('kept', 10); // holder | claimant
    t.index(['status', 'detected_at']);
    t.index(['holder_person_id']);
    t.index(['claimant_person_id']);
  });
  // the same person presenting the same ESI at every sign-in is one open conflict, not many
  await knex.raw(`create unique index esi_conflicts_open_unique on esi_conflicts (esi_key, claimant_person_id) where status = 'open'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('esi_conflicts');
  await knex.schema.dropTable('esi_assignments');
}
