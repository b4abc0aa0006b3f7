import { createServiceRef, definePlugin, HookStage, z, coreServices } from '@smile/sdk';
import { Greeter } from './greeter.js';
import { greetingsPage } from './greetings-table.js';

/** The plugin's public service, for other plugins that depend on "hello". */
export const greeterRef = createServiceRef<Greeter>({ id: 'hello.greeter' });

const nameSchema = z.string().trim().min(1, 'required').max(80, 'too long');

export default definePlugin({
  settings: z.object({
    greeting: z.string().min(1).default('Hello'),
  }),
  permissions: {
    'hello:greeting.read': { description: { fr: 'Lire les salutations', en: 'Read greetings' }, defaultRoles: ['manager', 'admin'] },
  },
  register(r) {
    r.provide(greeterRef, { factory: () => new Greeter(r.settings.greeting) });

    // A page, rendered in the layout or as a fragment for htmx requests.
    r.route({
      method: 'GET',
      path: '/hello',
      public: true,
      async handler(ctx) {
        const greeter = ctx.resolve(greeterRef);
        await ctx.render('hello/index', { greetings: await greeter.latest(ctx.db), error: null, name: '', title: 'Hello' });
      },
    });

    // A form post (CSRF-checked by the core); validation errors re-render the form.
    r.route({
      method: 'POST',
      path: '/hello',
      public: true,
      async handler(ctx) {
        const greeter = ctx.resolve(greeterRef);
        const parsed = nameSchema.safeParse((ctx.body as Record<string, unknown>)?.name);
        if (!parsed.success) {
          ctx.koa.status = 422;
          await ctx.render('hello/index', { greetings: await greeter.latest(ctx.db), error: parsed.error.issues[0]!.message, name: '', title: 'Hello' });
          ctx.koa.status = 422;
          return;
        }
        const events = ctx.resolve(coreServices.events);
        await ctx.db.transaction(async (tdb) => {
          const g = await greeter.record(tdb, parsed.data, ctx.language);
          await events.emit('hello.greeting.created', { id: g.id, name: g.visitorName }, { trx: tdb.knex as any, institutionId: tdb.institutionId });
        });
        ctx.koa.redirect('/hello');
      },
    });

    // Every greeting, through the SDK's server-side table (search, filter, sort, pages in the URL).
    r.route({ method: 'GET', path: '/hello/all', public: true, handler: greetingsPage });

    r.api({
      method: 'GET',
      path: '/hello/greetings',
      permission: 'hello:greeting.read',
      summary: 'Latest greetings of this institution',
      query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
      response: z.array(z.object({ id: z.number(), visitorName: z.string(), language: z.enum(['fr', 'en']), createdAt: z.date().transform((d) => d.toISOString()) })),
      handler: async (ctx) => ctx.resolve(greeterRef).latest(ctx.db, ctx.query.limit),
    });

    // A section on the home page, late so that real features come first.
    r.hooks.transformHomeSections.tap({ stage: HookStage.LATE }, (sections, home) => [
      ...sections,
      {
        plugin: 'hello',
        title: home.language === 'fr' ? 'Dire bonjour' : 'Say hello',
        html: `<p><a href="/hello">${home.language === 'fr' ? 'Laisser un bonjour' : 'Leave a greeting'}</a></p>`,
        weight: 100,
      },
    ]);

    // After a greeting is committed, a subscriber counts it (through the job queue).
    r.subscribe({
      event: 'hello.greeting.created',
      async handler(payload, ctx) {
        const db = ctx.resolve(coreServices.database);
        await db.forInstitution(ctx.institutionId!).table('hello_greetings').where({ id: payload.id }).update({ acknowledged: true });
      },
    });

    // A scheduled job: forget greetings older than 30 days.
    r.job({
      name: 'purge',
      cron: '17 3 * * *',
      async handler(_data, ctx) {
        const db = ctx.resolve(coreServices.database);
        const n = await db.knex('hello_greetings').where('created_at', '<', db.knex.raw("now() - interval '30 days'")).del();
        ctx.log.info({ purged: n }, 'old greetings purged');
      },
    });

    // Demo data, through the same tenant layer as requests.
    r.hooks.seedDemo.tap(async (seed) => {
      await seed.db.insert('hello_greetings', [
        { visitor_name: 'Ada', language: 'en' },
        { visitor_name: 'Łucja', language: 'fr' },
      ]);
    });

    r.command({
      name: 'hello count',
      description: 'Count greetings per institution',
      async run(_args, ctx) {
        const rows = await ctx.db.knex('hello_greetings').select('institution_id').count('* as n').groupBy('institution_id').orderBy('institution_id');
        for (const row of rows) ctx.print(`${row.institution_id}\t${row.n}`);
        if (rows.length === 0) ctx.print('no greetings yet');
      },
    });
  },
});
