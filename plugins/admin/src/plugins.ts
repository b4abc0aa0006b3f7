import { SmileError, ErrorCodes } from '@smile/sdk';
import type { PluginInfo, RegisterApi } from '@smile/sdk';
import { admin, field, hasStatus, renderWithStatus, seeOther, type Ctx } from './common.js';

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** This plugin: disabling it from its own page would lock every administrator out. */
const SELF = 'admin';

export interface PluginRow {
  id: string;
  title: string;
  version: string;
  kind: string;
  maturity: string;
  enabled: boolean;
  dependsOn: string[];
  locked: boolean;
}

function row(p: PluginInfo, lang: 'fr' | 'en'): PluginRow {
  return {
    id: p.id, title: p.title?.[lang] ?? p.id, version: p.version, kind: p.kind, maturity: p.maturity, enabled: p.enabled,
    dependsOn: Object.keys(p.dependsOn), locked: p.id === SELF,
  };
}

/**
 * Why `id` cannot be switched to `enabled`, in the page language, or null. The core refuses the
 * same cases; checking here first gives a translated message.
 */
function refusal(ctx: Ctx, all: PluginInfo[], target: PluginInfo, enabled: boolean): string | null {
  if (target.id === SELF && !enabled) return ctx.t('admin:plugins.errors.self');
  if (!enabled) {
    const users = all.filter((p) => p.enabled && target.id in p.dependsOn).map((p) => p.id);
    if (users.length) return ctx.t('admin:plugins.errors.neededBy', { plugins: users.join(', ') });
  } else {
    const missing = Object.keys(target.dependsOn).filter((d) => !all.find((p) => p.id === d)?.enabled);
    if (missing.length) return ctx.t('admin:plugins.errors.needs', { plugins: missing.join(', ') });
  }
  return null;
}

/** `/admin/plugins`: which plugins this institution uses; each row switches one on or off. */
export function registerPlugins(r: RegisterApi) {
  r.route({
    method: 'GET',
    path: '/admin/plugins',
    permission: 'admin:plugins.manage',
    async handler(ctx) {
      const rows = admin(ctx).plugins(ctx.institution)
        .filter((p) => p.kind !== 'theme')
        .map((p) => row(p, ctx.language))
        .sort((a, b) => a.title.localeCompare(b.title));
      await ctx.render('admin/plugins', { title: ctx.t('admin:plugins.title'), rows });
    },
  });

  // htmx swaps the returned row in place (4xx included); without JavaScript the form posts and
  // the browser is sent back to the list, where a flash message says what happened.
  r.route({
    method: 'POST',
    path: '/admin/plugins/:id/toggle',
    permission: 'admin:plugins.manage',
    async handler(ctx) {
      const pa = admin(ctx);
      const id = String(ctx.params.id ?? '');
      const all = pa.plugins(ctx.institution);
      const target = ID.test(id) ? all.find((p) => p.id === id && p.kind !== 'theme') : undefined;
      if (!target) throw new SmileError(ErrorCodes.NOT_FOUND, `no plugin "${id.slice(0, 50)}"`, { status: 404 });
      const enabled = field(ctx.body, 'enabled') === '1';
      let error = refusal(ctx, all, target, enabled);
      if (!error && target.enabled !== enabled) {
        try {
          await pa.setPluginEnabled(ctx.institution, id, enabled);
        } catch (e) {
          if (!hasStatus(e, 409)) throw e;
          error = ctx.t('admin:plugins.errors.refused', { reason: (e as Error).message.replace(/^SMILE_ERR_[A-Z_]+: /, '') });
        }
      }
      const title = target.title?.[ctx.language] ?? id;
      if (ctx.htmx) {
        const info = row({ ...target, enabled: error ? target.enabled : enabled }, ctx.language);
        const done = error ? null : ctx.t(enabled ? 'admin:plugins.enabledDone' : 'admin:plugins.disabledDone', { plugin: title });
        return renderWithStatus(ctx, error ? 409 : 200, 'admin/plugin-row', { p: info, error, done });
      }
      if (error) ctx.flash('error', error);
      else ctx.flash('success', ctx.t(enabled ? 'admin:plugins.enabledDone' : 'admin:plugins.disabledDone', { plugin: title }));
      seeOther(ctx, `/admin/plugins#plugin-${id}`);
    },
  });
}
