// Shared by the engine-level tests.
import type { TestPlatform } from '@smile/sdk/testing';
import { mobilityService } from '../src/index.js';

/**
 * The student's step conditions — required profile fields, required documents — have their own
 * tests (student, documents); tests of the engine and the manager pages move student steps without
 * filling either in. This clears both for the institution's exchange types and published steps
 * (in place: the process versions the tests count stay as they are).
 */
export async function withoutStepConditions(t: TestPlatform, institutionId = t.institution.id): Promise<void> {
  await t.resolve(mobilityService).ensureSeeded(institutionId);
  await t.knex('mobility_exchange_types').where({ institution_id: institutionId }).update({ required_fields: t.knex.raw(`'{}'::text[]`) });
  await t.knex('mobility_steps').where({ institution_id: institutionId }).update({ required_documents: t.knex.raw(`'{}'::text[]`) });
}
