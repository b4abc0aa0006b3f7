import { applyTable, defineTable, parseTableState, renderTable } from '@smile/sdk';
import type { RequestContext } from '@smile/sdk';

/** A row of the greetings list, as the base query selects it. */
export interface GreetingRow {
  id: number;
  visitor_name: string;
  language: 'fr' | 'en';
  created_at: Date;
}

const LANGUAGES = { fr: { fr: 'Français', en: 'French' }, en: { fr: 'Anglais', en: 'English' } } as const;

/** Every greeting of the institution: search on the name, filter on the language, sort by name or date. */
export const greetingsTable = defineTable<GreetingRow>({
  id: 'hello-greetings',
  caption: { fr: 'Tous les bonjours', en: 'All greetings' },
  columns: [
    { key: 'visitor_name', label: { fr: 'Nom du visiteur', en: 'Visitor name' }, sortable: true },
    { key: 'language', label: { fr: 'Langue', en: 'Language' }, format: (v, _row, lang) => LANGUAGES[v as 'fr' | 'en']?.[lang] ?? String(v) },
    { key: 'created_at', label: { fr: 'Date', en: 'Date' }, type: 'datetime', sortable: true, firstDir: 'desc' },
  ],
  filters: [
    {
      key: 'language',
      label: { fr: 'Langue', en: 'Language' },
      type: 'select',
      options: [
        { value: 'fr', label: LANGUAGES.fr },
        { value: 'en', label: LANGUAGES.en },
      ],
    },
  ],
  search: { columns: ['visitor_name'] },
  defaultSort: { key: 'created_at', dir: 'desc' },
  uniqueKey: 'id',
});

/** `GET /hello/all`: the page, or only the table region for htmx requests aimed at it. */
export async function greetingsPage(ctx: RequestContext): Promise<void> {
  const state = parseTableState(greetingsTable, ctx.query);
  const base = ctx.db.table('hello_greetings').select('id', 'visitor_name', 'language', 'created_at');
  const table = await applyTable(base, greetingsTable, state);
  await renderTable(ctx, { view: 'hello/all', table, baseUrl: '/hello/all', locals: { title: ctx.language === 'fr' ? 'Tous les bonjours' : 'All greetings' } });
}
