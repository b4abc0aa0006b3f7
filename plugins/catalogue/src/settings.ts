import { z } from '@smile/sdk';

/** An exchange type (programme) that elements may be restricted to. */
export const exchangeTypeSchema = z.object({
  code: z.string().regex(/^[a-z0-9-]{1,40}$/),
  fr: z.string().min(1),
  en: z.string().min(1),
});

export const settingsSchema = z.object({
  /** Month (1–12) in which the academic year starts. */
  yearStartMonth: z.number().int().min(1).max(12).default(9),
  /**
   * Exchange types elements can be restricted to: by default the same codes as the mobility files'
   * exchange types (`mobility` plugin), so that the course choice of a file of one type offers the
   * elements open to it. An institution that edits one list keeps the other in step.
   */
  exchangeTypes: z.array(exchangeTypeSchema).default([
    { code: 'first-semester', fr: 'Premier semestre', en: 'First semester' },
    { code: 'second-semester', fr: 'Second semestre', en: 'Second semester' },
    { code: 'full-year', fr: 'Année complète', en: 'Full year' },
    { code: 'exchange-programme', fr: 'Programme d’échange', en: 'Exchange programme' },
    { code: 'erasmus-mundus', fr: 'Erasmus Mundus', en: 'Erasmus Mundus' },
    { code: 'cross-border-alliance', fr: 'Études en alliance transfrontalière', en: 'Cross-border alliance study' },
    { code: 'double-degree', fr: 'Double diplôme', en: 'Double degree' },
    { code: 'study-traineeship', fr: 'Études et stage combinés', en: 'Combined study and traineeship' },
  ]),
  /** Search results kept in memory per process (0: no cache). */
  searchCacheSize: z.number().int().min(0).max(100000).default(2000),
});

export type CatalogueSettings = z.infer<typeof settingsSchema>;
