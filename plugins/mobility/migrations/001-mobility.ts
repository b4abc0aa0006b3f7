import type { Knex } from 'knex';

/**
 * Mobility files and their workflow. Exchange types are an editable list per institution.
 * Processes are versioned: publishing a process inserts a new version (with its steps) and makes it
 * the active one; a file points at the version it started with and keeps it. Steps are identified
 * by `key`, never by position. `mobility_file_steps` holds each visit of a step by a file,
 * `mobility_transitions` the full history. Every tenant table carries `institution_id`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mobility_exchange_types', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('code', 64).notNullable();
    t.string('label_fr', 200).notNullable();
    t.string('label_en', 200).notNullable();
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    t.unique(['institution_id', 'code']);
  });

  await knex.schema.createTable('mobility_processes', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    // 'default', or the exchange type code it applies to
    t.string('key', 64).notNullable();
    t.string('exchange_type', 64);
    t.integer('version').notNullable();
    t.boolean('active').notNullable().defaultTo(false);
    t.integer('created_by').references('persons.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['institution_id', 'key', 'version']);
  });
  // at most one active version per process key
  await knex.raw('create unique index mobility_processes_one_active on mobility_processes (institution_id, key) where active');

  await knex.schema.createTable('mobility_steps', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('process_id').notNullable().references('mobility_processes.id').onDelete('CASCADE');
    t.string('key', 64).notNullable();
    t.string('label_fr', 300).notNullable();
    t.string('label_en', 300).notNullable();
    // 'student' or a role key
    t.string('owner', 50).notNullable();
    t.boolean('owner_scope_component').notNullable().defaultTo(false);
    t.specificType('required_documents', 'text[]').notNullable().defaultTo('{}');
    t.jsonb('approvals').notNullable().defaultTo('[]');
    t.jsonb('deadline');
    t.jsonb('reminders').notNullable().defaultTo('[]');
    t.jsonb('transitions').notNullable().defaultTo('[]');
    t.integer('position').notNullable();
    t.string('terminal_status', 20);
    t.unique(['process_id', 'key']);
  });

  await knex.schema.createTable('mobility_files', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('person_id').references('persons.id').onDelete('SET NULL');
    t.string('first_name', 200).notNullable();
    t.string('last_name', 200).notNullable();
    t.date('birth_date');
    t.string('nationality', 2);
    t.string('gender', 20);
    t.string('email', 320);
    t.string('esi', 255);
    t.jsonb('home_address').notNullable().defaultTo('{}');
    t.string('home_name', 300);
    t.string('home_country', 2);
    t.string('home_schac', 255);
    t.string('home_erasmus_code', 50);
    t.string('home_pic', 20);
    t.string('exchange_type', 64).notNullable();
    t.string('public', 20).notNullable().defaultTo('student');
    t.integer('academic_year').notNullable();
    t.date('planned_start');
    t.date('planned_end');
    t.integer('component_id').references('components.id').onDelete('SET NULL');
    // component codes whose referents approve parallel per-component steps (the main component by default)
    t.specificType('approval_components', 'text[]').notNullable().defaultTo('{}');
    t.integer('referent_person_id').references('persons.id').onDelete('SET NULL');
    t.integer('eqf_level');
    t.string('isced', 10);
    t.text('special_needs');
    t.string('status', 20).notNullable().defaultTo('nominated');
    t.integer('process_id').notNullable().references('mobility_processes.id');
    t.string('current_step', 64);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['institution_id', 'academic_year', 'status']);
    t.index(['institution_id', 'current_step']);
    t.index(['institution_id', 'person_id']);
    t.index(['institution_id', 'esi']);
  });

  await knex.schema.createTable('mobility_file_steps', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('file_id').notNullable().references('mobility_files.id').onDelete('CASCADE');
    t.string('step_key', 64).notNullable();
    // pending | active | done | refused | abandoned
    t.string('state', 20).notNullable();
    t.timestamp('entered_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('left_at', { useTz: true });
    t.timestamp('deadline_at', { useTz: true });
    t.jsonb('approvals_done').notNullable().defaultTo('[]');
    t.index(['file_id', 'state']);
    t.index(['institution_id', 'step_key', 'state']);
  });
  // a file has at most one active step
  await knex.raw(`create unique index mobility_file_steps_one_active on mobility_file_steps (file_id) where state = 'active'`);

  await knex.schema.createTable('mobility_transitions', (t) => {
    t.bigIncrements('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('file_id').notNullable().references('mobility_files.id').onDelete('CASCADE');
    t.string('from_step', 64);
    t.string('to_step', 64);
    // create | validate | approve | refuse | abandon
    t.string('action', 20).notNullable();
    t.integer('person_id').references('persons.id').onDelete('SET NULL');
    t.string('label', 300).notNullable();
    t.text('comment');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['file_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['mobility_transitions', 'mobility_file_steps', 'mobility_files', 'mobility_steps', 'mobility_processes', 'mobility_exchange_types']) {
    await knex.schema.dropTableIfExists(table);
  }
}
