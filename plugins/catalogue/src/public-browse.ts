/**
 * Browsing the public catalogue: components → formations → a formation's tree → an element's page.
 * The element page's address (`/catalogue/<year>/elements/<code>`) is the learning-outcomes link of
 * Learning Agreements: it never changes for a year and code, and a closed element's page still
 * answers, saying it is not open to incoming students.
 * @packageDocumentation
 */
import { coreServices } from '@smile/sdk';
import type { RegisterApi, RequestContext } from '@smile/sdk';
import { openTree, type PublicCatalogue } from './public-data.js';
import { componentPath, elementPath, parseCode, parseYear } from './public-query.js';
import { viewHelpers } from './public-view.js';
import type { CatalogueSettings } from './settings.js';
import { yearLabel, type CatalogueStore } from './store.js';

type Ctx = RequestContext<any, any, any>;

/**
 * The origin of absolute links (the element's permanent address). The request's own origin only
 * when its host is one the institution declares: otherwise (one institution answering every host)
 * a forged `Host` header could make the published address point elsewhere.
 */
export function siteOrigin(ctx: Ctx): string {
  const host = ctx.koa.hostname.toLowerCase();
  if (ctx.institution.hostNames.some((h) => h.toLowerCase() === host)) return ctx.koa.origin;
  return ctx.resolve(coreServices.config).baseUrl.replace(/\/+$/, '');
}

/** A trail of links above the page title. */
export interface Crumb {
  href: string;
  label: string;
  lang?: string | null;
}

async function notFound(ctx: Ctx, what: 'element' | 'formation' | 'component', code: string, year: number | undefined): Promise<void> {
  await ctx.render('catalogue/public-not-found', {
    title: ctx.t('catalogue:public.notFound.title'),
    message: year === undefined ? ctx.t(`catalogue:public.notFound.${what}NoYear`, { code }) : ctx.t(`catalogue:public.notFound.${what}`, { code, year: yearLabel(year) }),
  });
  ctx.koa.status = 404;
}

/** Year and code from the path, or `undefined` when they cannot name anything. */
function target(ctx: Ctx): { year: number; code: string } | undefined {
  const year = parseYear(ctx.params.year);
  const code = parseCode(ctx.params.code);
  return year !== undefined && code !== undefined ? { year, code } : undefined;
}

export function registerBrowse(r: RegisterApi<CatalogueSettings>, reads: PublicCatalogue, store: () => CatalogueStore): void {
  const helpers = (ctx: Ctx) => viewHelpers(ctx.language, r.settingsFor(ctx.institution).exchangeTypes);
  const home = (ctx: Ctx, year: number): Crumb => ({ href: year === store().currentYear() ? '/catalogue' : `/catalogue?year=${year}`, label: ctx.t('catalogue:public.search.title') });
  const componentsCrumb = (ctx: Ctx, year: number): Crumb => ({
    href: year === store().currentYear() ? '/catalogue/components' : `/catalogue/components?year=${year}`,
    label: ctx.t('catalogue:public.components.title'),
  });

  r.route({
    method: 'GET',
    path: '/catalogue/components',
    public: true,
    async handler(ctx) {
      const inst = ctx.institution.id;
      const currentYear = store().currentYear();
      const generation = await reads.generation(inst);
      const years = await reads.years(inst, currentYear, generation);
      const asked = parseYear(ctx.query.year);
      const year = asked !== undefined && years.includes(asked) ? asked : currentYear;
      await ctx.render('catalogue/public-components', {
        title: ctx.t('catalogue:public.components.title'),
        year, years, currentYear, components: await reads.components(inst, year, generation), h: helpers(ctx), trail: [home(ctx, year)],
      });
    },
  });

  r.route({
    method: 'GET',
    path: '/catalogue/:year/components/:code',
    public: true,
    async handler(ctx) {
      const at = target(ctx);
      const inst = ctx.institution.id;
      const component = at && (await reads.component(inst, at.code));
      if (!at || !component) return notFound(ctx, 'component', String(ctx.params.code ?? ''), at?.year);
      const h = helpers(ctx);
      const generation = await reads.generation(inst);
      await ctx.render('catalogue/public-component', {
        title: h.name(component.nameFr, component.nameEn).text,
        year: at.year, component, formations: await reads.formations(inst, at.year, generation, component.id), h,
        searchUrl: `/catalogue?${new URLSearchParams({ ...(at.year === store().currentYear() ? {} : { year: String(at.year) }), component: component.code })}`,
        trail: [home(ctx, at.year), componentsCrumb(ctx, at.year)],
      });
    },
  });

  r.route({
    method: 'GET',
    path: '/catalogue/:year/formations/:code',
    public: true,
    async handler(ctx) {
      const at = target(ctx);
      const inst = ctx.institution.id;
      const formation = at && (await store().formation(inst, at.year, at.code));
      if (!at || !formation || !formation.inSource) return notFound(ctx, 'formation', String(ctx.params.code ?? ''), at?.year);
      const h = helpers(ctx);
      const [types, component, tree] = await Promise.all([
        reads.formationTypes(inst, formation),
        formation.componentId === null ? Promise.resolve(undefined) : reads.componentById(inst, formation.componentId),
        store().tree(inst, formation.id),
      ]);
      const trail: Crumb[] = [home(ctx, at.year), componentsCrumb(ctx, at.year)];
      if (component) trail.push({ href: componentPath(at.year, component.code), ...labelOf(h.name(component.nameFr, component.nameEn)) });
      await ctx.render('catalogue/public-formation', {
        title: h.name(formation.nameFr, formation.nameEn).text,
        year: at.year, formation, open: formation.openToMobility, ...types, component: component ?? null, tree: openTree(tree), h, trail,
      });
    },
  });

  r.route({
    method: 'GET',
    path: '/catalogue/:year/elements/:code',
    public: true,
    async handler(ctx) {
      const at = target(ctx);
      const inst = ctx.institution.id;
      const element = at && (await store().element(inst, at.year, at.code));
      if (!at || !element) return notFound(ctx, 'element', String(ctx.params.code ?? ''), at?.year);
      const h = helpers(ctx);
      const [component, formations] = await Promise.all([
        element.componentId === null ? Promise.resolve(undefined) : reads.componentById(inst, element.componentId),
        reads.formationsOf(inst, element.id),
      ]);
      const trail: Crumb[] = [home(ctx, at.year)];
      if (component) trail.push({ href: componentPath(at.year, component.code), ...labelOf(h.name(component.nameFr, component.nameEn)) });
      await ctx.render('catalogue/public-element', {
        title: h.name(element.titleFr, element.titleEn).text,
        year: at.year, element, open: element.openToMobility && element.inSource, component: component ?? null, formations, h, trail,
        permalink: `${siteOrigin(ctx)}${elementPath(at.year, element.code)}`,
      });
    },
  });

  // a link without a year: the current year's page when the element exists then, else its latest year's
  r.route({
    method: 'GET',
    path: '/catalogue/elements/:code',
    public: true,
    async handler(ctx) {
      const code = parseCode(ctx.params.code);
      const year = code === undefined ? undefined : await reads.yearOf(ctx.institution.id, code, store().currentYear());
      if (code === undefined || year === undefined) return notFound(ctx, 'element', String(ctx.params.code ?? ''), undefined);
      ctx.koa.status = 302;
      ctx.koa.redirect(elementPath(year, code));
    },
  });
}

const labelOf = (l: { text: string; lang: string | null }) => ({ label: l.text, lang: l.lang });

