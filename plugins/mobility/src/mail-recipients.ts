/**
 * Finding the people a mail goes to, their address and language, and the absolute links of a file.
 * Every function takes the query handle to use: inside a transition, its transaction (the embedded
 * database has one connection).
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { Logger } from '@smile/sdk';
import type { MobilityFile } from './types.js';
import { studentLanguage, type Audience } from './mail-rules.js';
import { publicOrigin } from '@smile/sdk';

type Db = Knex | Knex.Transaction;

/** One addressee of a mail. */
export interface Addressee {
  email: string;
  language: 'fr' | 'en';
  /** The student's space, or the office's file page. */
  side: 'student' | 'office';
  personId: number | null;
}

/** The same check as the core outbox: an address it would refuse must not roll a transition back. */
const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** What a mail needs to know about the institution. */
export interface InstitutionInfo {
  id: number;
  defaultLanguage: 'fr' | 'en';
  names: { fr: string; en: string };
  /** Origin of absolute links, without a trailing slash. */
  origin: string;
}


export async function institutionInfo(db: Db, institutionId: number, baseUrl: string): Promise<InstitutionInfo> {
  const row = await db('institutions').where({ id: institutionId }).first('default_language', 'host_names', 'name_fr', 'name_en');
  return {
    id: institutionId,
    defaultLanguage: row?.default_language === 'en' ? 'en' : 'fr',
    names: { fr: row?.name_fr ?? '', en: row?.name_en ?? '' },
    origin: publicOrigin({ hostNames: row?.host_names ?? [] }, { baseUrl }),
  };
}

/** The link of a file for its reader: the student's space or the office's page. */
export const fileLink = (inst: InstitutionInfo, fileId: number, side: 'student' | 'office'): string =>
  `${inst.origin}${side === 'student' ? '/mobility/me' : '/mobility/files'}/${fileId}`;

/** The student of a file: the file's address, else their account's. `null` (logged) without one. */
export async function studentAddressee(db: Db, file: MobilityFile, log: Logger): Promise<Addressee | null> {
  let email = file.email?.trim() || null;
  if (!email && file.personId) email = ((await db('persons').where({ id: file.personId }).first('email'))?.email as string | null)?.trim() || null;
  if (!email || !EMAIL.test(email)) {
    log.info({ file: file.id, reason: email ? 'invalid address' : 'no address' }, 'mobility mail to the student skipped');
    return null;
  }
  return { email, language: studentLanguage(file), side: 'student', personId: file.personId };
}

/** The components a file belongs to: its main component and its approval components. */
export const componentsOf = (file: MobilityFile): string[] => [...new Set([...(file.componentCode ? [file.componentCode] : []), ...file.approvalComponents])];

/**
 * The holders of `role` whose assignment is institution-wide or covers one of `components` (a file
 * without component: institution-wide holders only). When nobody holds the role itself, the holders
 * of the roles inheriting from it, nearest first. People without an address are skipped and logged.
 */
export async function roleHolders(db: Db, inst: InstitutionInfo, role: string, components: string[], log: Logger): Promise<Addressee[]> {
  const roles = (await db('roles').where({ institution_id: inst.id }).select('id', 'key', 'parent_id')) as Array<{ id: number; key: string; parent_id: number | null }>;
  const start = roles.find((r) => r.key === role);
  if (!start) return [];
  // breadth-first over the children: the role itself, then its children, then theirs
  let level = [start];
  const seen = new Set<number>([start.id]);
  while (level.length) {
    const rows = await db('role_assignments as a')
      .join('persons as p', 'p.id', 'a.person_id')
      .where('a.institution_id', inst.id)
      .whereIn('a.role_id', level.map((r) => r.id))
      .select('p.id', 'p.email', 'a.components');
    const inScope = rows.filter((r: any) => {
      const held: string[] = r.components ?? [];
      return held.length === 0 || held.some((c) => components.includes(c));
    });
    if (inScope.length) {
      const out = new Map<string, Addressee>();
      for (const r of inScope as Array<{ id: number; email: string | null }>) {
        const email = r.email?.trim();
        if (!email || !EMAIL.test(email)) {
          log.info({ person: r.id, role, reason: email ? 'invalid address' : 'no address' }, 'mobility mail to a role holder skipped');
          continue;
        }
        if (!out.has(email.toLowerCase())) out.set(email.toLowerCase(), { email, language: inst.defaultLanguage, side: 'office', personId: r.id });
      }
      return [...out.values()];
    }
    level = roles.filter((r) => r.parent_id !== null && level.some((l) => l.id === r.parent_id) && !seen.has(r.id));
    for (const r of level) seen.add(r.id);
  }
  log.info({ role, components }, 'mobility mail: nobody holds the role for this file');
  return [];
}

/** The addressees of an audience for a file (`role` for staff audiences). */
export async function addresseesOf(
  db: Db, inst: InstitutionInfo, file: MobilityFile, audience: Audience, role: string | undefined, log: Logger, components?: string[],
): Promise<Addressee[]> {
  if (audience === 'student') {
    const s = await studentAddressee(db, file, log);
    return s ? [s] : [];
  }
  const scope = components ?? (audience === 'referent' ? componentsOf(file) : file.componentCode ? [file.componentCode] : []);
  return roleHolders(db, inst, role ?? audience, scope, log);
}
