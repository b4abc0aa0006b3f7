/**
 * The student's profile form, `/mobility/me/:id/profile`: errors in place with a summary, nothing
 * typed lost, required fields from the file's exchange type, a concurrent change detected by the
 * file's version (the fresh values shown, with what the student had typed), read-only once the
 * file is closed.
 * @packageDocumentation
 */
import { coreServices, formField as field, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import { idParam, renderWithStatus, type Ctx, type Lang } from './manager-common.js';
import type { ProfileField } from './profile-fields.js';
import { countryName, countryOptions, isOpen, ownFile } from './student-common.js';
import {
  EQF_LEVELS, FIELD_INPUTS, GENDERS, isoDate, missingFields, PROFILE_INPUTS, ProfileConflict, requiredFields, saveProfile, validateProfile, valuesOfFile,
  type ProfileErrors, type ProfileInput, type ProfileValues,
} from './student-store.js';
import type { MobilityFile } from './types.js';
import { ME } from './student-space.js';

interface FormState {
  values: ProfileValues;
  errors?: ProfileErrors;
  /** The version the form is built from (the fresh one after a conflict). */
  version: number;
  conflict?: { message: string; typed: Array<{ label: string; value: string }> } | null;
}

const inputLabel = (ctx: Ctx, i: ProfileInput) => ctx.t(`mobility:student.profile.inputs.${i}`);

/** What an input shows back to the student: a country or a choice by its name, not its code. */
function shown(ctx: Ctx, i: ProfileInput, v: string): string {
  if (!v) return '';
  if (i === 'nationality' || i === 'country') return countryName(ctx.language as Lang, v);
  if (i === 'gender') return ctx.t(`mobility:student.profile.genders.${v}`);
  if (i === 'language') return ctx.t(`mobility:student.profile.languages.${v}`);
  return v;
}

async function render(ctx: Ctx, status: number, file: MobilityFile, state: FormState): Promise<void> {
  const lang = ctx.language as Lang;
  const required = await requiredFields(ctx.db.knex, ctx.institution.id, file.exchangeType);
  const requiredInputs = new Set<ProfileInput>(required.flatMap((f: ProfileField) => FIELD_INPUTS[f]));
  const errors = Object.fromEntries(Object.entries(state.errors ?? {}).map(([k, v]) => [k, ctx.t(`mobility:student.profile.errors.${v}`)])) as Record<string, string>;
  const summary = PROFILE_INPUTS.filter((i) => errors[i]).map((i) => ({ id: `p-${i}`, label: inputLabel(ctx, i), message: errors[i]! }));
  const saved = valuesOfFile(file);
  const missing = missingFields(saved, required);
  await renderWithStatus(ctx, status, 'mobility/student-profile', {
    title: ctx.t('mobility:student.profile.title'),
    file, values: state.values, errors, summary, version: state.version, conflict: state.conflict ?? null,
    editable: isOpen(file),
    required: [...requiredInputs],
    completion: { filled: required.length - missing.length, required: required.length },
    countries: countryOptions(lang),
    genders: GENDERS.map((g) => ({ value: g, label: ctx.t(`mobility:student.profile.genders.${g}`) })),
    eqfLevels: EQF_LEVELS.map((l) => ({ value: l, label: ctx.t(`mobility:student.profile.eqf.${l}`) })),
    languages: (['fr', 'en'] as const).map((l) => ({ value: l, label: ctx.t(`mobility:student.profile.languages.${l}`) })),
    readOnly: PROFILE_INPUTS.map((i) => ({ label: inputLabel(ctx, i), value: shown(ctx, i, state.values[i]) })),
  });
}

/** The form as sent, cleaned: codes upper-cased, `dd/mm/yyyy` dates turned to ISO. */
function readValues(ctx: Ctx): ProfileValues {
  const v = Object.fromEntries(PROFILE_INPUTS.map((i) => [i, field(ctx.body, i, i === 'specialNeeds').slice(0, 4000)])) as ProfileValues;
  v.specialNeeds = v.specialNeeds.trim();
  v.nationality = v.nationality.toUpperCase();
  v.country = v.country.toUpperCase();
  for (const k of ['birthDate', 'plannedStart', 'plannedEnd'] as const) v[k] = isoDate(v[k]);
  return v;
}

export function registerProfile(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: `${ME}/:id/profile`,
    permission: PERMISSIONS.self,
    async handler(ctx) {
      const file = await ownFile(ctx, idParam(ctx));
      const values = valuesOfFile(file);
      if (!values.language) values.language = ctx.language;
      await render(ctx, 200, file, { values, version: file.version });
    },
  });

  r.route({
    method: 'POST',
    path: `${ME}/:id/profile`,
    permission: PERMISSIONS.self,
    async handler(ctx) {
      const id = idParam(ctx);
      const file = await ownFile(ctx, id);
      const values = readValues(ctx);
      const version = Number(field(ctx.body, 'version'));
      const errors = validateProfile(values);
      if (!isOpen(file)) return render(ctx, 409, file, { values: valuesOfFile(file), version: file.version, conflict: { message: ctx.t('mobility:student.profile.closed'), typed: [] } });
      if (Object.keys(errors).length) return render(ctx, 422, file, { values, errors, version: Number.isInteger(version) ? version : file.version });
      const actor = { institutionId: ctx.institution.id, personId: ctx.principal.personId!, label: ctx.principal.label, ip: ctx.koa.ip || null, requestId: ctx.requestId };
      try {
        await saveProfile({ knex: ctx.resolve(coreServices.database).knex, audit: ctx.resolve(coreServices.audit) }, actor, id, values, Number.isInteger(version) ? version : -1);
      } catch (e) {
        if (!(e instanceof ProfileConflict)) throw e;
        const fresh = await ownFile(ctx, id);
        const now = valuesOfFile(fresh);
        // what the student typed and the fresh file no longer holds, so that nothing is lost
        const typed = PROFILE_INPUTS.filter((i) => values[i] && values[i] !== now[i]).map((i) => ({ label: inputLabel(ctx, i), value: shown(ctx, i, values[i]) }));
        const message = ctx.t(e.reason === 'closed' ? 'mobility:student.profile.closed' : 'mobility:student.profile.conflict');
        return render(ctx, 409, fresh, { values: now, version: fresh.version, conflict: { message, typed } });
      }
      const saved = await ownFile(ctx, id);
      const missing = missingFields(valuesOfFile(saved), await requiredFields(ctx.db.knex, ctx.institution.id, saved.exchangeType));
      ctx.flash('success', missing.length
        ? ctx.t('mobility:student.profile.savedMissing', { fields: missing.map((f) => ctx.t(`mobility:profile.fields.${f}`)).join(', ') })
        : ctx.t('mobility:student.profile.saved'));
      return seeOther(ctx, `${ME}/${id}`);
    },
  });
}
