import type { Knex } from 'knex';

/**
 * The catalogue: component details (the components themselves are the core's, shared with role
 * scopes), diploma and formation types, and per academic year the formations, the teaching
 * elements and the links that build each formation's tree (an element can sit in several
 * formations). Search columns are kept by a trigger; `catalogue_generations` counts changes per
 * institution so that caches of search results know when they are stale.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists pg_trgm');
  await knex.raw('create extension if not exists unaccent');
  const schema = (await knex.raw(`select n.nspname as s from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'unaccent'`)).rows[0].s as string;
  const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
  // unaccent() is not immutable (its dictionary could change): wrap it, as the index needs, with the schema named
  const fn = `${q(schema)}.unaccent`;
  await knex.raw(`
    create or replace function catalogue_fold(t text) returns text language sql immutable parallel safe as
    $$ select lower(${fn}('${fn.replace(/'/g, "''")}'::regdictionary, coalesce(t, ''))) $$`);

  await knex.schema.createTable('catalogue_component_details', (t) => {
    t.integer('component_id').primary().references('components.id').onDelete('CASCADE');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('acronym', 50);
    t.string('name_long_fr', 300);
    t.string('name_long_en', 300);
    t.string('campus', 200);
    t.jsonb('contacts').notNullable().defaultTo('[]');
    t.string('source', 40).notNullable().defaultTo('local');
    t.timestamps(true, true);
    t.index(['institution_id']);
  });

  for (const table of ['catalogue_diploma_types', 'catalogue_formation_types']) {
    await knex.schema.createTable(table, (t) => {
      t.increments('id');
      t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
      t.string('code', 64).notNullable();
      t.string('name_fr', 200).notNullable();
      t.string('name_en', 200);
      t.unique(['institution_id', 'code']);
    });
  }

  await knex.schema.createTable('catalogue_years', (t) => {
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('year').notNullable();
    t.integer('copied_from');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['institution_id', 'year']);
  });

  await knex.schema.createTable('catalogue_formations', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('year').notNullable();
    t.string('code', 64).notNullable();
    t.string('name_fr', 300).notNullable();
    t.string('name_en', 300);
    t.string('acronym', 50);
    t.integer('component_id').references('components.id').onDelete('SET NULL');
    t.integer('diploma_type_id').references('catalogue_diploma_types.id').onDelete('SET NULL');
    t.integer('formation_type_id').references('catalogue_formation_types.id').onDelete('SET NULL');
    t.integer('level');
    t.string('domain', 200);
    t.string('isced', 10);
    t.integer('eqf');
    t.specificType('languages', 'text[]').notNullable().defaultTo('{}');
    t.boolean('open_to_mobility').notNullable().defaultTo(true);
    t.string('source', 40).notNullable().defaultTo('local');
    t.specificType('local_fields', 'text[]').notNullable().defaultTo('{}');
    t.jsonb('imported').notNullable().defaultTo('{}');
    t.boolean('in_source').notNullable().defaultTo(true);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.unique(['institution_id', 'year', 'code']);
    t.index(['institution_id', 'year', 'component_id']);
  });

  await knex.schema.createTable('catalogue_elements', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('year').notNullable();
    t.string('code', 64).notNullable();
    t.string('kind', 30).notNullable().defaultTo('EC');
    t.string('title_fr', 300).notNullable();
    t.string('title_en', 300);
    t.text('description_fr');
    t.text('description_en');
    t.text('objectives_fr');
    t.text('objectives_en');
    t.text('outcomes_fr');
    t.text('outcomes_en');
    t.decimal('ects', 6, 2);
    t.decimal('mobility_ects', 6, 2);
    t.string('semester', 10);
    t.integer('level');
    t.specificType('languages', 'text[]').notNullable().defaultTo('{}');
    t.string('campus', 200);
    t.string('isced', 10);
    t.specificType('competences', 'text[]').notNullable().defaultTo('{}');
    t.text('prerequisites_fr');
    t.text('prerequisites_en');
    t.integer('seats');
    // null: every exchange type
    t.specificType('exchange_types', 'text[]');
    t.boolean('open_to_mobility').notNullable().defaultTo(true);
    t.decimal('hours', 7, 2);
    t.jsonb('timetable').notNullable().defaultTo('[]');
    t.integer('component_id').references('components.id').onDelete('SET NULL');
    t.string('source', 40).notNullable().defaultTo('local');
    t.specificType('local_fields', 'text[]').notNullable().defaultTo('{}');
    t.jsonb('imported').notNullable().defaultTo('{}');
    t.boolean('in_source').notNullable().defaultTo(true);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    // kept by the trigger below: titles and code (for ranking), everything (for matching), trigrams, sort keys
    t.specificType('search_title', 'tsvector');
    t.specificType('search_all', 'tsvector');
    t.text('search_text');
    t.text('sort_fr');
    t.text('sort_en');
    t.unique(['institution_id', 'year', 'code']);
    t.index(['institution_id', 'year', 'component_id']);
  });
  await knex.raw('create index catalogue_elements_search_all on catalogue_elements using gin (search_all)');
  await knex.raw('create index catalogue_elements_search_trgm on catalogue_elements using gin (search_text gin_trgm_ops)');
  await knex.raw('create index catalogue_elements_sort_fr on catalogue_elements (institution_id, year, sort_fr, id)');
  await knex.raw('create index catalogue_elements_sort_en on catalogue_elements (institution_id, year, sort_en, id)');
  // French and English stems side by side: a query is matched in both languages at once
  await knex.raw(`
    create or replace function catalogue_elements_search() returns trigger language plpgsql as $$
    begin
      new.search_title := to_tsvector('french', catalogue_fold(new.title_fr))
        || to_tsvector('english', catalogue_fold(coalesce(new.title_en, '')))
        || to_tsvector('simple', catalogue_fold(new.code));
      new.search_all := setweight(new.search_title, 'A')
        || to_tsvector('french', catalogue_fold(coalesce(new.description_fr, '') || ' ' || coalesce(new.objectives_fr, '') || ' ' || coalesce(new.outcomes_fr, '')))
        || to_tsvector('english', catalogue_fold(coalesce(new.description_en, '') || ' ' || coalesce(new.objectives_en, '') || ' ' || coalesce(new.outcomes_en, '')));
      new.search_text := catalogue_fold(new.code || ' ' || new.title_fr || ' ' || coalesce(new.title_en, ''));
      new.sort_fr := catalogue_fold(new.title_fr);
      new.sort_en := catalogue_fold(coalesce(new.title_en, new.title_fr));
      return new;
    end $$`);
  await knex.raw(`
    create trigger catalogue_elements_search before insert or update of code, title_fr, title_en, description_fr, description_en,
      objectives_fr, objectives_en, outcomes_fr, outcomes_en on catalogue_elements
    for each row execute function catalogue_elements_search()`);

  await knex.schema.createTable('catalogue_links', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('year').notNullable();
    t.integer('formation_id').notNullable().references('catalogue_formations.id').onDelete('CASCADE');
    // null: at the top of the formation
    t.integer('parent_id').references('catalogue_elements.id').onDelete('CASCADE');
    t.integer('child_id').notNullable().references('catalogue_elements.id').onDelete('CASCADE');
    t.integer('position').notNullable().defaultTo(0);
    t.string('source', 40).notNullable().defaultTo('local');
    t.index(['formation_id', 'parent_id', 'position']);
    t.index(['child_id']);
  });
  // one place per element per parent in a formation (an element may still sit in several formations)
  await knex.raw('create unique index catalogue_links_unique on catalogue_links (formation_id, coalesce(parent_id, 0), child_id)');

  await knex.schema.createTable('catalogue_generations', (t) => {
    t.integer('institution_id').primary().references('institutions.id').onDelete('CASCADE');
    t.bigInteger('generation').notNullable().defaultTo(0);
  });
  // every statement that changes the catalogue of an institution moves its generation on
  await knex.raw(`
    create or replace function catalogue_bump_generation() returns trigger language plpgsql as $$
    begin
      insert into catalogue_generations (institution_id, generation)
        select distinct institution_id, 1 from changed
      on conflict (institution_id) do update set generation = catalogue_generations.generation + 1;
      return null;
    end $$`);
  for (const table of ['catalogue_elements', 'catalogue_formations', 'catalogue_links', 'catalogue_component_details']) {
    for (const [op, ref] of [['insert', 'new table as changed'], ['update', 'new table as changed'], ['delete', 'old table as changed']] as const) {
      await knex.raw(`create trigger ${table}_gen_${op} after ${op} on ${table} referencing ${ref} for each statement execute function catalogue_bump_generation()`);
    }
  }

  await knex.schema.createTable('catalogue_sync_runs', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('year').notNullable();
    t.string('connector', 40).notNullable();
    // manual | schedule | upload | cli
    t.string('trigger', 20).notNullable();
    // queued | running | succeeded | failed
    t.string('state', 20).notNullable().defaultTo('queued');
    t.boolean('dry_run').notNullable().defaultTo(false);
    t.string('label', 300);
    t.integer('person_id').references('persons.id').onDelete('SET NULL');
    t.timestamp('queued_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.integer('total');
    t.integer('done');
    t.integer('created').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('closed').notNullable().defaultTo(0);
    t.integer('error_count').notNullable().defaultTo(0);
    t.jsonb('errors').notNullable().defaultTo('[]');
    t.text('failure');
    t.jsonb('report');
    t.index(['institution_id', 'connector', 'queued_at']);
  });

  await knex.schema.createTable('catalogue_changes', (t) => {
    t.bigIncrements('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('year').notNullable();
    t.integer('run_id').references('catalogue_sync_runs.id').onDelete('CASCADE');
    t.string('entity', 20).notNullable();
    t.string('code', 64).notNullable();
    t.string('change', 20).notNullable();
    t.jsonb('fields');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['institution_id', 'year', 'entity', 'code']);
    t.index(['run_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['catalogue_changes', 'catalogue_sync_runs', 'catalogue_generations', 'catalogue_links', 'catalogue_elements', 'catalogue_formations', 'catalogue_years', 'catalogue_formation_types', 'catalogue_diploma_types', 'catalogue_component_details']) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('drop function if exists catalogue_bump_generation()');
  await knex.raw('drop function if exists catalogue_elements_search()');
  await knex.raw('drop function if exists catalogue_fold(text)');
}
