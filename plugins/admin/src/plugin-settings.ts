import { SmileError, ErrorCodes } from '@smile/sdk';
import type { PlatformAdmin, PluginInfo, RegisterApi } from '@smile/sdk';
import { admin, field, renderWithStatus, seeOther, type Ctx } from './common.js';

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** How a setting is edited: its JSON-schema type decides. */
type Kind = 'text' | 'number' | 'boolean' | 'select' | 'json' | 'secret';

/** One field of the settings form. */
export interface SettingField {
  key: string;
  kind: Kind;
  /** What the input shows (JSON text for `json`; empty for `secret`). */
  value: string;
  /** Nullable: blank means "none". */
  nullable: boolean;
  options?: string[];
  description?: string;
  /** For secrets: a value is stored. */
  set?: boolean;
  error?: string;
}

type Schema = Record<string, any>;

/** The types a property allows (`anyOf` of a type and null counts as nullable). */
function typesOf(p: Schema): { types: string[]; nullable: boolean; enum?: string[] } {
  const variants: Schema[] = Array.isArray(p.anyOf) ? p.anyOf : [p];
  const types = new Set<string>();
  let nullable = false;
  let values: string[] | undefined;
  for (const v of variants) {
    const t = Array.isArray(v.type) ? v.type : v.type ? [v.type] : [];
    for (const x of t) (x === 'null' ? (nullable = true) : types.add(x));
    if (Array.isArray(v.enum)) values = v.enum.filter((e: unknown) => typeof e === 'string');
  }
  return { types: [...types], nullable, enum: values };
}

/** The form fields of a plugin's settings: every top-level property, secrets as write-only fields. */
export function settingFields(settings: ReturnType<PlatformAdmin['settings']>): SettingField[] {
  const props = (settings.schema?.properties ?? {}) as Record<string, Schema>;
  const out: SettingField[] = [];
  for (const [key, p] of Object.entries(props)) {
    const { types, nullable, enum: values } = typesOf(p);
    const v = settings.values[key];
    const description = typeof p.description === 'string' ? p.description : undefined;
    let kind: Kind = 'json';
    if (values?.length) kind = 'select';
    else if (types.length === 1 && types[0] === 'string') kind = 'text';
    else if (types.length === 1 && (types[0] === 'number' || types[0] === 'integer')) kind = 'number';
    else if (types.length === 1 && types[0] === 'boolean') kind = 'boolean';
    const value = kind === 'json' ? JSON.stringify(v ?? null, null, 2) : v === null || v === undefined ? '' : String(v);
    out.push({ key, kind, value, nullable, options: values, description });
  }
  for (const s of settings.secrets) out.push({ key: s.key, kind: 'secret', value: '', nullable: false, set: s.set });
  return out;
}

/**
 * The overrides a submitted form gives: every field sent, as typed (numbers, booleans, JSON parsed),
 * a secret only when something was typed (the stored one is kept otherwise). Unreadable input is a
 * field error.
 */
export function valuesFrom(body: unknown, fields: SettingField[], t: Ctx['t']): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const sent = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  for (const f of fields) {
    // a field the form did not send keeps its value (a checkbox left unticked sends nothing: false)
    if (f.kind !== 'boolean' && !(`s_${f.key}` in sent)) continue;
    const raw = field(body, `s_${f.key}`, f.kind === 'secret');
    if (f.kind === 'boolean') values[f.key] = raw === 'true';
    else if (f.kind === 'secret') {
      if (raw === '') continue;
      const trimmed = raw.trim();
      // a secret made of several values (a header name and value) is typed as JSON
      if (trimmed.startsWith('{')) {
        try {
          values[f.key] = JSON.parse(trimmed);
        } catch {
          errors[f.key] = t('admin:pluginSettings.errors.json');
        }
      } else values[f.key] = raw;
    } else if (raw === '' && f.nullable) values[f.key] = null;
    else if (f.kind === 'number') {
      const n = Number(raw.replace(',', '.'));
      if (raw === '' || !Number.isFinite(n)) errors[f.key] = t('admin:pluginSettings.errors.number');
      else values[f.key] = n;
    } else if (f.kind === 'json') {
      try {
        values[f.key] = JSON.parse(raw || 'null');
      } catch {
        errors[f.key] = t('admin:pluginSettings.errors.json');
      }
    } else values[f.key] = raw;
  }
  return { values, errors };
}

function pluginOf(ctx: Ctx): PluginInfo {
  const id = String(ctx.params.id ?? '');
  const p = ID.test(id) ? admin(ctx).plugins(ctx.institution).find((x) => x.id === id && x.kind !== 'theme') : undefined;
  if (!p) throw new SmileError(ErrorCodes.NOT_FOUND, `no plugin "${id.slice(0, 50)}"`, { status: 404 });
  return p;
}

async function show(ctx: Ctx, status: number, p: PluginInfo, fields: SettingField[], formError?: string) {
  await renderWithStatus(ctx, status, 'admin/plugin-settings', {
    title: ctx.t('admin:pluginSettings.title', { plugin: p.title?.[ctx.language] ?? p.id }),
    plugin: { id: p.id, title: p.title?.[ctx.language] ?? p.id }, fields, formError: formError ?? null,
  });
}

/** `/admin/plugins/:id/settings`: a plugin's settings for this institution (connectors' sources, schedules, secrets). */
export function registerPluginSettings(r: RegisterApi) {
  r.route({
    method: 'GET',
    path: '/admin/plugins/:id/settings',
    permission: 'admin:plugins.manage',
    async handler(ctx) {
      const p = pluginOf(ctx);
      await show(ctx, 200, p, settingFields(admin(ctx).settings(ctx.institution, p.id)));
    },
  });

  r.route({
    method: 'POST',
    path: '/admin/plugins/:id/settings',
    permission: 'admin:plugins.manage',
    async handler(ctx) {
      const p = pluginOf(ctx);
      const pa = admin(ctx);
      const current = pa.settings(ctx.institution, p.id);
      if (!current.schema) throw new SmileError(ErrorCodes.NOT_FOUND, `${p.id} has no settings`, { status: 404 });
      const fields = settingFields(current);
      const { values, errors } = valuesFrom(ctx.body, fields, ctx.t);
      // what was typed comes back as typed (never a secret)
      const sent = (ctx.body ?? {}) as Record<string, unknown>;
      const typed = fields.map((f) =>
        f.kind === 'secret' ? f : { ...f, value: f.kind === 'boolean' ? String(values[f.key] ?? false) : `s_${f.key}` in sent ? field(sent, `s_${f.key}`, true) : f.value },
      );
      const withErrors = (errs: Record<string, string>) => typed.map((f) => ({ ...f, error: errs[f.key] }));
      if (Object.keys(errors).length) return show(ctx, 422, p, withErrors(errors), ctx.t('admin:pluginSettings.errors.summary'));
      const problems = await pa.saveSettings(ctx.institution, p.id, values);
      if (problems) {
        const byField: Record<string, string> = {};
        for (const [path, message] of Object.entries(problems)) {
          const key = path.split('.')[0]!;
          byField[key] = byField[key] ? `${byField[key]} ${path}: ${message}` : `${path === key ? '' : `${path}: `}${message}`;
        }
        return show(ctx, 422, p, withErrors(byField), ctx.t('admin:pluginSettings.errors.summary'));
      }
      ctx.flash('success', ctx.t('admin:pluginSettings.saved', { plugin: p.title?.[ctx.language] ?? p.id }));
      seeOther(ctx, `/admin/plugins/${p.id}/settings`);
    },
  });
}
