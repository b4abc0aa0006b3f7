import type { Knex } from 'knex';

/**
 * Learning Agreements. A version is written once and never changed (a trigger refuses updates):
 * its document (the `LaDocument` without signatures) and the hash signatures bind to. Signatures,
 * refusals and signing links only ever get added; the agreement row holds the derived state and an
 * optimistic-locking counter so that two signers acting at once are serialised.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('learning_agreements', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('file_id').notNullable().references('mobility_files.id').onDelete('CASCADE').unique();
    // EWP omobility-id: printable ASCII, stable for the life of the agreement
    t.string('omobility_id', 64).notNullable().unique();
    t.integer('academic_year').notNullable();
    // draft | signing | refused | signed (of the latest version)
    t.string('state', 20).notNullable().defaultTo('draft');
    t.integer('latest_version').notNullable().defaultTo(1);
    // the approved course choice was not available when the first version was built
    t.boolean('choice_missing').notNullable().defaultTo(false);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['institution_id', 'state']);
    t.index(['institution_id', 'academic_year']);
  });

  await knex.schema.createTable('la_versions', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('agreement_id').notNullable().references('learning_agreements.id').onDelete('CASCADE');
    t.integer('number').notNullable();
    // first | change
    t.string('kind', 10).notNullable();
    t.jsonb('document').notNullable();
    t.string('hash', 64).notNullable();
    t.integer('created_by').references('persons.id').onDelete('SET NULL');
    t.string('created_by_label', 300).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['agreement_id', 'number']);
    t.index(['institution_id']);
  });
  // what was agreed never changes; only a deleted person's id may become null (foreign key)
  await knex.raw(`create function la_versions_immutable() returns trigger language plpgsql as $$
    begin
      if new.document is distinct from old.document or new.hash is distinct from old.hash or new.number is distinct from old.number
        or new.kind is distinct from old.kind or new.agreement_id is distinct from old.agreement_id or new.created_at is distinct from old.created_at then
        raise exception 'a Learning Agreement version is never changed: make a new one';
      end if;
      return new;
    end $$`);
  await knex.raw('create trigger la_versions_no_update before update on la_versions for each row execute function la_versions_immutable()');

  await knex.schema.createTable('la_change_proposals', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('agreement_id').notNullable().references('learning_agreements.id').onDelete('CASCADE');
    // the change version this proposal produced
    t.integer('version_id').notNullable().references('la_versions.id').onDelete('CASCADE').unique();
    // the signed version it changes
    t.integer('base_version_id').notNullable().references('la_versions.id').onDelete('CASCADE');
    // [{ table, change, reason, reasonText, component }]
    t.jsonb('items').notNullable();
    t.integer('proposed_by').references('persons.id').onDelete('SET NULL');
    t.string('proposed_by_label', 300).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['institution_id', 'agreement_id']);
  });

  await knex.schema.createTable('la_scans', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('agreement_id').notNullable().references('learning_agreements.id').onDelete('CASCADE');
    t.string('original_name', 255).notNullable();
    t.string('media_type', 100).notNullable();
    t.integer('size_bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('data').notNullable();
    t.integer('uploaded_by').references('persons.id').onDelete('SET NULL');
    t.timestamp('uploaded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['institution_id', 'agreement_id']);
  });

  await knex.schema.createTable('la_signing_links', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('version_id').notNullable().references('la_versions.id').onDelete('CASCADE');
    t.string('party', 10).notNullable();
    // SHA-256 of the token: the token itself exists only in the mail
    t.string('token_hash', 64).notNullable().unique();
    t.string('email', 320).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['institution_id', 'version_id']);
  });

  await knex.schema.createTable('la_signatures', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('version_id').notNullable().references('la_versions.id').onDelete('CASCADE');
    // student | sending | receiving
    t.string('party', 10).notNullable();
    t.string('signer_name', 300).notNullable();
    t.string('position', 300);
    t.string('email', 320).notNullable();
    t.timestamp('signed_at', { useTz: true }).notNullable();
    t.string('ip', 64);
    t.string('hash_signed', 64).notNullable();
    t.boolean('on_paper').notNullable().defaultTo(false);
    t.integer('scan_id').references('la_scans.id').onDelete('SET NULL');
    // who signed: a signed-in person, or the holder of a signing link
    t.integer('person_id').references('persons.id').onDelete('SET NULL');
    t.integer('link_id').references('la_signing_links.id').onDelete('SET NULL');
    // for a paper signature: the office member who recorded it
    t.integer('recorded_by').references('persons.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // one signature per party and version, whatever races happen above
    t.unique(['version_id', 'party']);
    t.index(['institution_id']);
  });

  await knex.schema.createTable('la_refusals', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id').onDelete('CASCADE');
    t.integer('version_id').notNullable().references('la_versions.id').onDelete('CASCADE');
    t.string('party', 10).notNullable();
    t.string('name', 300).notNullable();
    t.string('email', 320);
    t.text('comment').notNullable();
    t.string('ip', 64);
    t.integer('person_id').references('persons.id').onDelete('SET NULL');
    t.integer('link_id').references('la_signing_links.id').onDelete('SET NULL');
    t.timestamp('refused_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // a version is refused once: it goes back to the student
    t.unique(['version_id']);
    t.index(['institution_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('la_refusals');
  await knex.schema.dropTableIfExists('la_signatures');
  await knex.schema.dropTableIfExists('la_signing_links');
  await knex.schema.dropTableIfExists('la_scans');
  await knex.schema.dropTableIfExists('la_change_proposals');
  await knex.raw('drop trigger if exists la_versions_no_update on la_versions');
  await knex.schema.dropTableIfExists('la_versions');
  await knex.raw('drop function if exists la_versions_immutable()');
  await knex.schema.dropTableIfExists('learning_agreements');
}
