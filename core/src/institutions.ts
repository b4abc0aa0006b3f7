import type { Knex } from 'knex';
import type { Institution } from '@smile/sdk';

export function toInstitution(r: any): Institution {
  return {
    id: r.id,
    code: r.code,
    nameFr: r.name_fr,
    nameEn: r.name_en,
    schacCode: r.schac_code,
    erasmusCode: r.erasmus_code,
    pic: r.pic,
    country: r.country,
    hostNames: r.host_names ?? [],
    defaultLanguage: r.default_language === 'en' ? 'en' : 'fr',
    theme: r.theme,
    plugins: r.plugins ?? {},
    settings: r.settings ?? {},
  };
}

/** Input of {@link Institutions.create}. */
export interface NewInstitution {
  code: string;
  nameFr: string;
  nameEn: string;
  schacCode?: string;
  erasmusCode?: string;
  pic?: string;
  country?: string;
  hostNames?: string[];
  defaultLanguage?: 'fr' | 'en';
  theme?: string;
  plugins?: Record<string, boolean>;
}

/**
 * The tenants. Read on every request, changed rarely: kept in memory and reloaded after each
 * change made through this class (other processes pick changes up within `ttlMs`).
 */
export class Institutions {
  private cache: Institution[] | null = null;
  private loadedAt = 0;

  /** Called after an institution is created (the core seeds its roles). */
  onCreated: (inst: Institution) => Promise<void> = async () => {};

  constructor(private knex: Knex, private ttlMs = 5000) {}

  async all(): Promise<Institution[]> {
    if (!this.cache || Date.now() - this.loadedAt > this.ttlMs) {
      this.cache = (await this.knex('institutions').orderBy('id')).map(toInstitution);
      this.loadedAt = Date.now();
    }
    return this.cache;
  }

  invalidate() {
    this.cache = null;
  }

  async byCode(code: string): Promise<Institution | undefined> {
    return (await this.all()).find((i) => i.code === code);
  }

  async create(n: NewInstitution): Promise<Institution> {
    const [row] = await this.knex('institutions')
      .insert({
        code: n.code, name_fr: n.nameFr, name_en: n.nameEn, schac_code: n.schacCode ?? null, erasmus_code: n.erasmusCode ?? null,
        pic: n.pic ?? null, country: n.country ?? null, host_names: n.hostNames ?? [], default_language: n.defaultLanguage ?? 'fr',
        theme: n.theme ?? 'base', plugins: JSON.stringify(n.plugins ?? {}),
      })
      .returning('*');
    this.invalidate();
    const inst = toInstitution(row);
    await this.onCreated(inst);
    return inst;
  }

  async setPluginEnabled(id: number, plugin: string, enabled: boolean): Promise<void> {
    await this.knex('institutions')
      .where({ id })
      .update({ plugins: this.knex.raw(`plugins || ?::jsonb`, [JSON.stringify({ [plugin]: enabled })]), updated_at: this.knex.fn.now() });
    this.invalidate();
  }

  /**
   * Match the request's host name; else the only institution (single-institution install);
   * else the first institution without host names (the instance's default); else none.
   */
  static match(host: string, list: readonly Institution[]): Institution | undefined {
    const h = host.toLowerCase().replace(/:\d+$/, '');
    const byHost = list.find((i) => i.hostNames.some((n) => n.toLowerCase() === h));
    if (byHost) return byHost;
    if (list.length === 1) return list[0];
    return list.find((i) => i.hostNames.length === 0);
  }
}
