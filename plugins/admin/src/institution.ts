import type { Institution, InstitutionPatch, RegisterApi } from '@smile/sdk';
import { admin, field, hasStatus, isVersion, isUniqueViolation, renderWithStatus, seeOther, type Ctx } from './common.js';

export const INSTITUTION_FIELDS = ['nameFr', 'nameEn', 'schacCode', 'erasmusCode', 'pic', 'country', 'hostNames', 'defaultLanguage'] as const;
export type InstitutionField = (typeof INSTITUTION_FIELDS)[number];
/** The form's values, as the person typed them. */
export type InstitutionValues = Record<InstitutionField, string>;

const SCHAC = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
/** Erasmus institution code: country letters padded with spaces, city, number (e.g. `F  PARIS001`). */
const ERASMUS = /^[A-Z]{1,3} {1,3}[A-Z][A-Z-]{0,14}[0-9]{1,3}$/;
const PIC = /^[0-9]{9}$/;
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const MAX_HOSTS = 20;

let regions: Intl.DisplayNames | null = null;
/** Is `code` an ISO 3166-1 alpha-2 region that CLDR knows? */
function knownCountry(code: string): boolean {
  regions ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  try {
    return regions.of(code) !== undefined;
  } catch {
    return false;
  }
}

export function valuesOf(i: Institution): InstitutionValues {
  return {
    nameFr: i.nameFr, nameEn: i.nameEn, schacCode: i.schacCode ?? '', erasmusCode: i.erasmusCode ?? '', pic: i.pic ?? '',
    country: i.country ?? '', hostNames: i.hostNames.join('\n'), defaultLanguage: i.defaultLanguage,
  };
}

function valuesFrom(body: unknown): InstitutionValues {
  const v = Object.fromEntries(INSTITUTION_FIELDS.map((k) => [k, field(body, k)])) as InstitutionValues;
  v.erasmusCode = field(body, 'erasmusCode', true).replace(/^\s+|\s+$/g, '');
  return v;
}

/** Check the form; returns the patch to save, or translated messages by field. */
export function validateInstitution(v: InstitutionValues, t: Ctx['t']): { patch: InstitutionPatch; errors: Partial<Record<InstitutionField, string>> } {
  const errors: Partial<Record<InstitutionField, string>> = {};
  const patch: InstitutionPatch = {};
  for (const k of ['nameFr', 'nameEn'] as const) {
    if (!v[k]) errors[k] = t('admin:institution.errors.required');
    else if (v[k].length > 300) errors[k] = t('admin:institution.errors.tooLong', { max: 300 });
    else patch[k] = v[k];
  }
  const schac = v.schacCode.toLowerCase();
  if (schac && (schac.length > 255 || !SCHAC.test(schac))) errors.schacCode = t('admin:institution.errors.schacCode');
  else patch.schacCode = schac || null;
  const erasmus = v.erasmusCode.toUpperCase();
  if (erasmus && (erasmus.length > 32 || !ERASMUS.test(erasmus))) errors.erasmusCode = t('admin:institution.errors.erasmusCode');
  else patch.erasmusCode = erasmus || null;
  if (v.pic && !PIC.test(v.pic)) errors.pic = t('admin:institution.errors.pic');
  else patch.pic = v.pic || null;
  const country = v.country.toUpperCase();
  if (country && !(/^[A-Z]{2}$/.test(country) && knownCountry(country))) errors.country = t('admin:institution.errors.country');
  else patch.country = country || null;
  const hosts = [...new Set(v.hostNames.split(/\r?\n/).map((h) => h.trim().toLowerCase()).filter(Boolean))];
  const badHost = hosts.find((h) => !HOST.test(h));
  if (badHost !== undefined) errors.hostNames = t('admin:institution.errors.hostName', { host: badHost.slice(0, 80) });
  else if (hosts.length > MAX_HOSTS) errors.hostNames = t('admin:institution.errors.tooManyHosts', { max: MAX_HOSTS });
  else patch.hostNames = hosts;
  if (v.defaultLanguage === 'fr' || v.defaultLanguage === 'en') patch.defaultLanguage = v.defaultLanguage;
  else errors.defaultLanguage = t('admin:institution.errors.defaultLanguage');
  return { patch, errors };
}

async function show(ctx: Ctx, status: number, locals: { values: InstitutionValues; errors: Partial<Record<InstitutionField, string>>; updatedAt: string; conflict?: { label: string; value: string }[] | null }) {
  await renderWithStatus(ctx, status, 'admin/institution', { title: ctx.t('admin:institution.title'), conflict: null, ...locals });
}

/** `/admin/institution`: the institution record, saved with optimistic locking. */
export function registerInstitution(r: RegisterApi) {
  r.route({
    method: 'GET',
    path: '/admin/institution',
    permission: 'admin:institution.edit',
    async handler(ctx) {
      await show(ctx, 200, { values: valuesOf(ctx.institution), errors: {}, updatedAt: await admin(ctx).institutionVersion(ctx.institution) });
    },
  });

  r.route({
    method: 'POST',
    path: '/admin/institution',
    permission: 'admin:institution.edit',
    async handler(ctx) {
      const pa = admin(ctx);
      const values = valuesFrom(ctx.body);
      const updatedAt = field(ctx.body, 'updatedAt');
      const { patch, errors } = validateInstitution(values, ctx.t);
      if (Object.keys(errors).length) return show(ctx, 422, { values, errors, updatedAt });
      try {
        if (!isVersion(updatedAt)) throw Object.assign(new Error('missing or malformed version'), { status: 409 });
        await pa.updateInstitution(ctx.institution, patch, updatedAt);
      } catch (e) {
        if (hasStatus(e, 409)) {
          // Someone saved in between: keep what this person typed, show what is stored now, and
          // give the form the current version so that sending it again deliberately overwrites.
          const stored = valuesOf(ctx.institution);
          const conflict = INSTITUTION_FIELDS.filter((k) => stored[k] !== values[k]).map((k) => ({ label: ctx.t(`admin:institution.fields.${k}`), value: stored[k] }));
          return show(ctx, 409, { values, errors: {}, updatedAt: await pa.institutionVersion(ctx.institution), conflict });
        }
        if (isUniqueViolation(e)) return show(ctx, 422, { values, errors: { schacCode: ctx.t('admin:institution.errors.schacTaken') }, updatedAt });
        throw e;
      }
      ctx.flash('success', ctx.t('admin:institution.saved'));
      seeOther(ctx, '/admin/institution');
    },
  });
}
