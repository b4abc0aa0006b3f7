/**
 * Self-registration: a signed-in person chooses an exchange type and academic year whose
 * application period is open and gets a mobility file (and the student role). Outside any period
 * the page says when registration opens next. Everything is checked again on the server when the
 * form is posted: the period, and that the person has no file for that exchange type and year.
 * @packageDocumentation
 */
import { coreServices, formField as field, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import type { Knex } from 'knex';
import { actorOf, pick, renderWithStatus, storeOf, type Ctx } from './manager-common.js';
import { REGISTER, longDate, yearLabel } from './config-common.js';
import { exchangeTypeRows } from './config-exchange-types.js';
import { periodRows, periodState, type PeriodRow } from './config-periods.js';
import { roleLineage } from './role-lineage.js';

/** Where the person's file is followed (the student space). */
export const STUDENT_SPACE = '/mobility/me';

/** The signed-in person, or `null` for anyone else (anonymous visitors, API tokens). */
const personOf = (ctx: Ctx): number | null => (ctx.principal.kind === 'user' && ctx.principal.personId ? ctx.principal.personId : null);

/** Send the visitor to sign in, coming back here afterwards. */
function toSignIn(ctx: Ctx): void {
  ctx.koa.status = 303;
  ctx.koa.redirect(`/sign-in?return=${encodeURIComponent(REGISTER)}`);
}

interface Option {
  value: string;
  type: string;
  year: number;
  label: string;
  closes: string;
  registered: boolean;
}

/** What the page shows: open choices, the next openings, the person's existing registrations. */
async function pageLocals(ctx: Ctx, personId: number, now = new Date()) {
  const inst = ctx.institution.id;
  await storeOf(ctx).ensureSeeded(inst);
  const [types, periods, files] = await Promise.all([
    exchangeTypeRows(ctx.db.knex, inst),
    periodRows(ctx.db.knex, inst),
    ctx.db.table('mobility_files').where({ person_id: personId }).select('exchange_type', 'academic_year'),
  ]);
  const active = new Map(types.filter((x) => x.active).map((x) => [x.code, pick(ctx.language, { fr: x.labelFr, en: x.labelEn })]));
  const mine = new Set(files.map((f: any) => `${f.exchange_type}:${f.academic_year}`));
  const usable = periods.filter((p) => active.has(p.exchangeType));
  const options: Option[] = usable.filter((p) => periodState(p, now) === 'open')
    .sort((a, b) => a.academicYear - b.academicYear || a.closesAt.getTime() - b.closesAt.getTime())
    .map((p) => ({
      value: `${p.exchangeType}:${p.academicYear}`, type: p.exchangeType, year: p.academicYear,
      label: ctx.t('mobility:register.option', { type: active.get(p.exchangeType)!, year: yearLabel(p.academicYear) }),
      closes: longDate(ctx.language, p.closesAt), registered: mine.has(`${p.exchangeType}:${p.academicYear}`),
    }));
  // per exchange type, its next opening (types open now are already listed above)
  const next = new Map<string, PeriodRow>();
  for (const p of usable) {
    if (periodState(p, now) !== 'upcoming') continue;
    const seen = next.get(p.exchangeType);
    if (!seen || p.opensAt < seen.opensAt) next.set(p.exchangeType, p);
  }
  const upcoming = [...next.values()].sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime()).map((p) => ({
    text: ctx.t('mobility:register.opensOn', { type: active.get(p.exchangeType)!, year: yearLabel(p.academicYear), date: longDate(ctx.language, p.opensAt) }),
  }));
  return { title: ctx.t('mobility:register.title'), options, upcoming, choice: '', error: null as string | null };
}

/** Routes of self-registration. */
export function registerSelfRegistration(r: RegisterApi<any>): void {
  // public: a person who has just signed in may hold no role yet; the handler checks the principal
  r.route({
    method: 'GET',
    path: REGISTER,
    public: true,
    async handler(ctx) {
      const personId = personOf(ctx);
      if (!personId) return toSignIn(ctx);
      await ctx.render('mobility/register-index', await pageLocals(ctx, personId));
    },
  });

  r.route({
    method: 'POST',
    path: REGISTER,
    public: true,
    async handler(ctx) {
      const personId = personOf(ctx);
      if (!personId) return toSignIn(ctx);
      const inst = ctx.institution.id;
      const choice = field(ctx.body, 'choice').slice(0, 80);
      const m = /^([a-z][a-z0-9-]{0,63}):(\d{4})$/.exec(choice);
      const refuse = async (status: number, key: string, vars: Record<string, string> = {}) => {
        const locals = await pageLocals(ctx, personId);
        ctx.log.info({ choice, reason: key }, 'mobility self-registration refused');
        return renderWithStatus(ctx, status, 'mobility/register-index', { ...locals, choice, error: ctx.t(`mobility:register.errors.${key}`, vars) });
      };
      if (!m) return refuse(422, 'choose');
      const [, type, yearRaw] = m as unknown as [string, string, string];
      const year = Number(yearRaw);
      const store = storeOf(ctx);
      await store.ensureSeeded(inst);
      const roles = ctx.resolve(coreServices.roles);
      const [types, person, roleList] = await Promise.all([
        exchangeTypeRows(ctx.db.knex, inst),
        ctx.resolve(coreServices.identity).person(personId),
        roles.list(inst),
      ]);
      const et = types.find((x) => x.code === type && x.active);
      const label = et ? ctx.t('mobility:register.option', { type: pick(ctx.language, { fr: et.labelFr, en: et.labelEn }), year: yearLabel(year) }) : choice;
      if (!et || !person) return refuse(422, 'closed', { choice: label });
      // the student role, or one of its children (a doctoral student is a student)
      const studentish = roleList.filter((x) => roleLineage(roleList, x.key).includes('student')).map((x) => x.key);
      const [first, ...rest] = person.displayName.trim().split(/\s+/);
      const firstName = person.givenName?.trim() || first || person.displayName;
      const lastName = person.familyName?.trim() || rest.join(' ') || person.displayName;

      const outcome = await ctx.db.transaction(async (tdb) => {
        const trx = tdb.knex as Knex.Transaction;
        // one registration at a time per person: a double click must not create two files
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`mobility-register:${inst}:${personId}`]);
        const now = new Date();
        const period = await tdb.table('mobility_application_periods').where({ exchange_type: type, academic_year: year }).first();
        if (!period || periodState({ opensAt: new Date(period.opens_at), closesAt: new Date(period.closes_at) }, now) !== 'open') return 'closed' as const;
        const existing = await tdb.table('mobility_files').where({ person_id: personId, exchange_type: type, academic_year: year }).first('id');
        if (existing) return 'twice' as const;
        const file = await store.createFile(actorOf(ctx), {
          personId, firstName, lastName, email: person.email, exchangeType: type, academicYear: year, language: ctx.language,
        }, { trx, detail: { source: 'self-registration' } });
        const held = studentish.length
          ? await trx('role_assignments as a').join('roles as r', 'r.id', 'a.role_id').where({ 'a.institution_id': inst, 'a.person_id': personId }).whereIn('r.key', studentish).first('a.id')
          : null;
        if (!held) await roles.assign(ctx, personId, 'student', [], { trx });
        return file;
      });
      if (outcome === 'closed') return refuse(422, 'closed', { choice: label });
      if (outcome === 'twice') return refuse(409, 'twice', { choice: label });
      ctx.log.info({ file: outcome.id, exchangeType: type, year }, 'mobility self-registration');
      ctx.flash('success', ctx.t('mobility:register.done', { choice: label }));
      return seeOther(ctx, STUDENT_SPACE);
    },
  });
}
