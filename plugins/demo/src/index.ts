import { coreServices, definePlugin, HookStage, safeReturnPath, SmileError, z } from '@smile/sdk';
import { PERSONAS, personaByKey } from './personas.js';

/**
 * One-click personas for the demo. Active only when the instance runs in demo mode, and never in
 * production (NODE_ENV=production): there the page says so and sign-in is refused.
 */
export default definePlugin({
  register(r) {
    const config = r.deferred(coreServices.config);
    const available = () => config().demo && !config().production;

    r.nav({ href: '/demo/sign-in', label: { fr: 'Personas de démonstration', en: 'Demo personas' }, area: 'signin' });

    r.route({
      method: 'GET',
      path: '/demo/sign-in',
      public: true,
      async handler(ctx) {
        await ctx.render('demo/sign-in', { title: ctx.t('demo:title'), personas: PERSONAS, available: available(), production: config().production, returnTo: safeReturnPath(ctx.query.return) });
      },
    });

    r.route({
      method: 'POST',
      path: '/demo/sign-in',
      public: true,
      async handler(ctx) {
        if (!available()) throw new SmileError('SMILE_ERR_FORBIDDEN', ctx.t(config().production ? 'demo:refusedProduction' : 'demo:refusedNotDemo'), { status: 403 });
        const persona = personaByKey(z.string().safeParse((ctx.body as Record<string, unknown>)?.persona).data);
        if (!persona) throw new SmileError('SMILE_ERR_VALIDATION', ctx.t('demo:unknownPersona'), { status: 400 });
        const identity = ctx.resolve(coreServices.identity);
        const issuer = `demo:${ctx.institution.code}`;
        // a persona is a real person: created with its role on first use, then signed in like anyone
        let person = await identity.findByIdentity('demo', issuer, persona.key);
        if (!person) {
          person = await identity.createPerson({ displayName: persona.name, email: persona.email });
          await identity.linkIdentity(person.id, { provider: 'demo', issuer, subject: persona.key });
          await ctx.resolve(coreServices.roles).assign({ institutionId: ctx.institution.id, label: 'demo' }, person.id, persona.role);
        }
        await identity.signIn(ctx, { provider: 'demo', issuer, subject: persona.key, displayName: persona.name, email: persona.email, attributes: persona.attributes }, { session: { demo: true } });
        ctx.flash('success', ctx.t('demo:welcome', { name: persona.name }));
        ctx.koa.redirect(safeReturnPath((ctx.body as Record<string, unknown>)?.return));
      },
    });

    // A demo session is honoured only while demo mode is on (never in production): it ends otherwise.
    r.hooks.resolvePrincipal.tap({ stage: HookStage.FIRST }, ({ session }) => {
      if (session.get('demo') === true && !available()) session.signOut();
      return undefined;
    });

    r.hooks.transformHomeSections.tap({ stage: HookStage.EARLY }, (sections, home) => {
      if (!available() || home.permissions.size > 0) return sections;
      const fr = home.language === 'fr';
      return [
        ...sections,
        {
          plugin: 'demo',
          title: fr ? 'Découvrir la démonstration' : 'Explore the demo',
          html: `<p>${fr ? 'Connectez-vous en un clic comme étudiant, gestionnaire, référent ou administrateur.' : 'Sign in with one click as a student, a manager, a referent or an administrator.'}</p><p><a class="button" href="/demo/sign-in">${fr ? 'Choisir un persona' : 'Choose a persona'}</a></p>`,
          weight: -100,
        },
      ];
    });
  },
  bootstrap(ctx) {
    const cfg = ctx.resolve(coreServices.config);
    if (cfg.demo && cfg.production) ctx.log.warn('demo mode is ignored in production: demo sign-in is refused');
  },
});
