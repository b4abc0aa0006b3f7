import type { Knex } from 'knex';

/**
 * What the configuration pages edit and the student space reads: the profile fields each exchange
 * type requires, application periods per exchange type and academic year, the document types an
 * institution asks for; and the language a file's person reads (mail, pages).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mobility_exchange_types', (t) => {
    // field names of the file the student must fill in before leaving a student step
    t.specificType('required_fields', 'text[]').notNullable().defaultTo(knex.raw(`'{birthDate,nationality,gender,email,homeAddress}'::text[]`));
  });

  await knex.schema.alterTable('mobility_files', (t) => {
    // 'fr' | 'en': the language mail to the person is written in (their last choice on the site)
    t.string('language', 2);
  });

  await knex.schema.createTable('mobility_application_periods', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('exchange_type', 64).notNullable();
    t.integer('academic_year').notNullable();
    t.timestamp('opens_at', { useTz: true }).notNullable();
    t.timestamp('closes_at', { useTz: true }).notNullable();
    t.unique(['institution_id', 'exchange_type', 'academic_year']);
  });

  await knex.schema.createTable('mobility_document_types', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.string('code', 64).notNullable();
    t.string('label_fr', 200).notNullable();
    t.string('label_en', 200).notNullable();
    t.integer('max_bytes').notNullable().defaultTo(10 * 1024 * 1024);
    // accepted media types, checked against the file's content (magic bytes), not its name
    t.specificType('media_types', 'text[]').notNullable().defaultTo(knex.raw(`'{application/pdf,image/jpeg,image/png}'::text[]`));
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    t.unique(['institution_id', 'code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mobility_document_types');
  await knex.schema.dropTableIfExists('mobility_application_periods');
  await knex.schema.alterTable('mobility_files', (t) => t.dropColumn('language'));
  await knex.schema.alterTable('mobility_exchange_types', (t) => t.dropColumn('required_fields'));
}
