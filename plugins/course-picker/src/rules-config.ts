/** The institution's course-choice rules: defaults, validation and the rules of one exchange type. */
import { z } from '@smile/sdk';
import { CEFR_LEVELS, type ExchangeRules, type ExchangeRulesInput, type RulesConfig } from './rules-types.js';

/** The rules an exchange type gets when the institution sets nothing. */
export const DEFAULT_RULES: Readonly<ExchangeRules> = Object.freeze({
  ects: { termMin: 30, termMax: 30, yearMin: 60, yearMax: 60 },
  mainComponentShare: 50,
  language: { mode: 'warn', defaultLevel: 'B1', levels: {} },
  prerequisites: { mode: 'warn' },
  timetable: 'warn',
  hierarchy: { mode: 'implied-parent', unitKinds: ['UE'] },
} satisfies ExchangeRules);

const cefr = z.enum(CEFR_LEVELS);
const mode = z.enum(['warn', 'block']);
const ectsValue = z.number().min(0).max(200);

const exchangeRulesInput = z
  .object({
    ects: z.object({ termMin: ectsValue, termMax: ectsValue, yearMin: ectsValue, yearMax: ectsValue }).partial().strict(),
    mainComponentShare: z.number().min(0).max(100),
    language: z
      .object({ mode, defaultLevel: cefr, levels: z.record(z.string().regex(/^[a-z]{2}$/), cefr) })
      .partial()
      .strict(),
    prerequisites: z.object({ mode }).partial().strict(),
    timetable: z.enum(['warn', 'off']),
    hierarchy: z
      .object({ mode: z.enum(['implied-parent', 'exclusive', 'independent']), unitKinds: z.array(z.string().min(1)) })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

/**
 * Validates a {@link RulesConfig} (plugin settings or a configuration page): unknown keys, levels
 * that are not CEFR levels, minimums above maximums are refused with the offending path.
 */
export const rulesConfigSchema = z
  .object({ defaults: exchangeRulesInput.optional(), byExchangeType: z.record(z.string(), exchangeRulesInput).optional() })
  .strict()
  .superRefine((config, ctx) => {
    const entries: Array<[Array<string | number>, ExchangeRulesInput | undefined]> = [[['defaults'], config.defaults]];
    for (const [code, r] of Object.entries(config.byExchangeType ?? {})) entries.push([['byExchangeType', code], r]);
    for (const [path, input] of entries) {
      if (!input) continue;
      // checked on the merged rules: an override of the maximum alone must still respect the default minimum
      const r = resolveRules({ defaults: path[0] === 'defaults' ? input : config.defaults, byExchangeType: path[0] === 'defaults' ? {} : { x: input } }, 'x');
      if (r.ects.termMin > r.ects.termMax) ctx.addIssue({ code: 'custom', path: [...path, 'ects', 'termMin'], message: 'the term minimum is above the term maximum' });
      if (r.ects.yearMin > r.ects.yearMax) ctx.addIssue({ code: 'custom', path: [...path, 'ects', 'yearMin'], message: 'the year minimum is above the year maximum' });
    }
  });

/** The rules of `exchangeType`: its own overrides over the institution's defaults over {@link DEFAULT_RULES}. */
export function resolveRules(config: RulesConfig | undefined, exchangeType: string): ExchangeRules {
  const layers = [config?.defaults, config?.byExchangeType?.[exchangeType]].filter((l): l is ExchangeRulesInput => !!l);
  const r: ExchangeRules = structuredClone(DEFAULT_RULES) as ExchangeRules;
  for (const l of layers) {
    if (l.ects) Object.assign(r.ects, defined(l.ects));
    if (l.mainComponentShare !== undefined) r.mainComponentShare = l.mainComponentShare;
    if (l.language) {
      const { levels, ...rest } = l.language;
      Object.assign(r.language, defined(rest));
      if (levels) r.language.levels = { ...r.language.levels, ...levels };
    }
    if (l.prerequisites) Object.assign(r.prerequisites, defined(l.prerequisites));
    if (l.timetable !== undefined) r.timetable = l.timetable;
    if (l.hierarchy) Object.assign(r.hierarchy, defined(l.hierarchy));
  }
  return r;
}

// `{ termMin: undefined }` must not erase a default
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
