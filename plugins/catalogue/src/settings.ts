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
  /** Exchange types elements can be restricted to. */
  exchangeTypes: z.array(exchangeTypeSchema).default([
    { code: 'erasmus-studies', fr: 'Erasmus+ études', en: 'Erasmus+ studies' },
    { code: 'erasmus-traineeship', fr: 'Erasmus+ stage', en: 'Erasmus+ traineeship' },
    { code: 'bilateral', fr: 'Accord bilatéral', en: 'Bilateral agreement' },
    { code: 'free-mover', fr: 'Free mover', en: 'Free mover' },
    { code: 'doctoral', fr: 'Mobilité doctorale', en: 'Doctoral mobility' },
  ]),
  /** Search results kept in memory per process (0: no cache). */
  searchCacheSize: z.number().int().min(0).max(100000).default(2000),
});

export type CatalogueSettings = z.infer<typeof settingsSchema>;
