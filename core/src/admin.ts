import { z } from 'zod';
import { SmileError, ErrorCodes, secretKeys } from '@smile/sdk';
import type { Institution, InstitutionPatch, PlatformAdmin, PluginInfo } from '@smile/sdk';
import type { Platform } from './platform.js';
import { toInstitution } from './institutions.js';

/** The `core.platformAdmin` service. */
export function createPlatformAdmin(p: Platform): PlatformAdmin {
  const knex = () => p.db.knex;
  const schemaOf = (pluginId: string) => {
    let x = p.plugins.find((y) => y.id === pluginId);
    for (let i = 0; x && !x.settingsSchema && x.manifest.parent && i < 10; i++) x = p.plugins.find((y) => y.id === x!.manifest.parent);
    return x?.settingsSchema;
  };
  return {
    plugins(inst) {
      return p.plugins.map((x): PluginInfo => ({
        id: x.id, version: x.version, kind: x.manifest.kind, maturity: x.manifest.maturity, title: x.manifest.title, parent: x.manifest.parent,
        dependsOn: x.manifest.dependsOn, enabled: p.isEnabled(x.id, inst), defaultEnabled: x.manifest.defaultEnabled,
      }));
    },
    async setPluginEnabled(inst, pluginId, enabled) {
      const target = p.plugins.find((x) => x.id === pluginId);
      if (!target) throw new SmileError(ErrorCodes.PLUGIN_UNKNOWN, `no plugin "${pluginId}"`, { status: 404, plugin: pluginId });
      if (target.manifest.kind === 'theme') throw new SmileError(ErrorCodes.VALIDATION, 'themes are chosen, not enabled', { status: 400, key: pluginId });
      if (!enabled) {
        const users = p.plugins.filter((x) => x.manifest.dependsOn[pluginId] && p.isEnabled(x.id, inst)).map((x) => x.id);
        if (users.length) {
          throw new SmileError(ErrorCodes.VALIDATION, `${pluginId} is needed by ${users.join(', ')}: disable those first`, { status: 409, key: pluginId });
        }
      } else {
        const missing = Object.keys(target.manifest.dependsOn).filter((d) => !p.isEnabled(d, inst));
        if (missing.length) throw new SmileError(ErrorCodes.VALIDATION, `${pluginId} needs ${missing.join(', ')}: enable those first`, { status: 409, key: pluginId });
      }
      await p.institutions.setPluginEnabled(inst.id, pluginId, enabled);
    },
    async institutionVersion(inst) {
      const row = await knex()('institutions').where({ id: inst.id }).first('updated_at');
      return new Date(row.updated_at).toISOString();
    },
    async updateInstitution(inst, patch: InstitutionPatch, updatedAt) {
      if (patch.theme !== undefined && !p.plugins.some((x) => x.id === patch.theme && x.manifest.kind === 'theme')) {
        throw new SmileError(ErrorCodes.VALIDATION, `no theme "${patch.theme}"`, { status: 400, key: 'theme' });
      }
      const cols: Record<string, unknown> = {};
      const map: Record<keyof InstitutionPatch, string> = {
        nameFr: 'name_fr', nameEn: 'name_en', schacCode: 'schac_code', erasmusCode: 'erasmus_code', pic: 'pic', country: 'country',
        hostNames: 'host_names', defaultLanguage: 'default_language', theme: 'theme',
      };
      for (const [k, col] of Object.entries(map)) if ((patch as Record<string, unknown>)[k] !== undefined) cols[col] = (patch as Record<string, unknown>)[k];
      const [row] = await knex()('institutions')
        .where({ id: inst.id })
        .andWhereRaw('date_trunc(\'milliseconds\', updated_at) = ?::timestamptz', [updatedAt])
        .update({ ...cols, updated_at: knex().fn.now() })
        .returning('*');
      if (!row) throw new SmileError(ErrorCodes.CONFLICT, 'someone else changed this record meanwhile: reload the page to see their changes', { status: 409 });
      p.institutions.invalidate();
      return toInstitution(row);
    },
    settings(inst, pluginId) {
      const schema = schemaOf(pluginId);
      const values = { ...p.settingsFor(pluginId, inst) };
      const secrets = secretKeys(schema).map((key) => ({ key, set: values[key] !== undefined && values[key] !== null && values[key] !== '' && !(typeof values[key] === 'object' && Object.values(values[key] as object).every((v) => v === '' || v == null)) }));
      for (const k of secretKeys(schema)) delete values[k];
      let json: Record<string, unknown> | null = null;
      if (schema) {
        json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
        const props = (json.properties ?? {}) as Record<string, unknown>;
        for (const k of secretKeys(schema)) delete props[k];
      }
      return { values, schema: json, secrets };
    },
    async saveSettings(inst: Institution, pluginId, values) {
      const schema = schemaOf(pluginId);
      if (!schema) throw new SmileError(ErrorCodes.VALIDATION, `${pluginId} has no settings`, { status: 400, key: pluginId });
      const base = p.plugins.find((x) => x.id === pluginId)?.settings ?? {};
      // secrets are never shown in forms, so a form never sends them back: keep the stored ones it leaves out
      const stored = inst.settings[pluginId] ?? {};
      const kept = Object.fromEntries(secretKeys(schema).filter((k) => !(k in values) && k in stored).map((k) => [k, stored[k]]));
      const next = { ...kept, ...values };
      const r = schema.safeParse({ ...base, ...next });
      if (!r.success) return Object.fromEntries(r.error.issues.map((i) => [i.path.join('.') || pluginId, i.message]));
      await knex()('institutions')
        .where({ id: inst.id })
        .update({ settings: knex().raw('settings || ?::jsonb', [JSON.stringify({ [pluginId]: next })]), updated_at: knex().fn.now() });
      p.institutions.invalidate();
      return null;
    },
    themeErrors() {
      const out: Record<string, { message: string; at: string }> = {};
      for (const [k, v] of p.renderer?.themeErrors ?? []) out[k] = { message: v.message, at: v.at.toISOString() };
      return out;
    },
    async jobStats() {
      return { kind: p.jobs.kind, jobs: await p.jobs.stats() };
    },
    smtpConfigured: () => p.mailer.configured,
  };
}
