import type { Knex } from 'knex';
import type { Bilingual, RequestContext } from './plugin.js';

/** One human being, whatever the number of accounts and institutions they have. Platform-wide. */
export interface Person {
  id: number;
  displayName: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
}

/** An identity asserted by a sign-in method (a SAML assertion, a local account, a demo persona). */
export interface SignInIdentity {
  /** The sign-in plugin id: `auth-saml`, `auth-local`, `demo`. */
  provider: string;
  /** Who vouches for the subject: the IdP entityID, or `local:<institution code>` for local accounts. */
  issuer: string;
  /** Stable subject at that issuer (eppn, persistent NameID, local account id). */
  subject: string;
  /**
   * Attributes by friendly name (`eppn`, `mail`, `givenName`, `sn`, `displayName`, `schacHomeOrganization`,
   * `schacPersonalUniqueCode`, `eduPersonAffiliation`, `supannEntiteAffectation`, …), all multi-valued.
   * Role rules are evaluated on them.
   */
  attributes: Record<string, string[]>;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
}

/** What {@link Identity.signIn} did. */
export interface SignInResult {
  person: Person;
  /** Role keys the person holds in the request's institution after rules were applied. */
  roles: string[];
  /** `true` when the person was created by this sign-in. */
  created: boolean;
}

/** Who did something, for the audit log. Taken from the request when a `RequestContext` is given. */
export interface AuditActor {
  institutionId: number | null;
  personId?: number | null;
  /** Display label (name, `token:abc…`, `system`). Never a secret. */
  label: string;
  ip?: string | null;
  requestId?: string | null;
}

/** One audit entry. `before` and `after` are the changed record's states; never put secrets in them. */
export interface AuditEntry {
  /** `<owner>.<entity>.<verb>`, e.g. `core.role.privilege-granted`, `auth-saml.sign-in.failed`. */
  action: string;
  outcome?: 'success' | 'failure';
  targetType?: string;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown>;
}

/** The append-only audit log (an UPDATE or DELETE on it is refused by the database). */
export interface AuditLog {
  /** Append an entry. Pass the transaction that made the change so both commit or neither. */
  record(actor: RequestContext | AuditActor, entry: AuditEntry, opts?: { trx?: Knex.Transaction }): Promise<void>;
}

/** A role of an institution. */
export interface RoleInfo {
  key: string;
  name: Bilingual;
  parent: string | null;
  /** May be held by people who do not belong to the institution (incoming students, guests, external referents). */
  externalAccess: boolean;
  /** Seeded role: it may be renamed and re-parented but not deleted. */
  system: boolean;
  /** Privileges granted to this role itself (not inherited). */
  privileges: string[];
  /** People holding it (any scope). */
  userCount: number;
}

/** A role held by a person in an institution. */
export interface RoleAssignment {
  id: number;
  personId: number;
  role: string;
  /** Component codes the role is limited to; empty = the whole institution. */
  components: string[];
  /** `manual` (given by an admin or an invitation) or `rule` (recomputed at each sign-in). */
  source: 'manual' | 'rule';
  ruleId: number | null;
}

/** A condition of an automatic role rule, on one sign-in attribute. */
export interface RuleCondition {
  attribute: string;
  op: 'contains' | 'not-contains' | 'equals' | 'not-equals' | 'matches' | 'present' | 'absent';
  /** Compared case-insensitively. `{institution.schacCode}` stands for the institution's SCHAC code. */
  value?: string;
}

/** An automatic role rule: when every condition holds, the person gets `role`. */
export interface RoleRule {
  id: number;
  name: string;
  conditions: RuleCondition[];
  role: string;
  /** Fixed components, or the values of an attribute (e.g. `supannEntiteAffectation`) that name components. */
  scope: { kind: 'institution' } | { kind: 'components'; components: string[] } | { kind: 'attribute'; attribute: string };
  enabled: boolean;
  position: number;
}

/** People, their identities and sign-in. Provided by the core. */
export interface Identity {
  /**
   * Find or create the person behind `identity` (linked by provider, issuer and subject), update their
   * name and attributes, apply the institution's role rules, start a new session (new id) and audit
   * the sign-in. `session` adds data to the session (e.g. SAML NameID and SessionIndex for logout).
   */
  signIn(ctx: RequestContext, identity: SignInIdentity, opts?: { session?: Record<string, unknown>; personId?: number }): Promise<SignInResult>;
  /** Audit a refused sign-in. Never pass passwords or raw assertions in `detail`. */
  signInFailed(ctx: RequestContext, failure: { provider: string; reason: string; subject?: string; detail?: Record<string, unknown> }): Promise<void>;
  person(id: number): Promise<Person | null>;
  findByIdentity(provider: string, issuer: string, subject: string): Promise<Person | null>;
  findByEmail(email: string): Promise<Person[]>;
  /** A person with no identity yet (an invited guest). */
  createPerson(data: { displayName: string; givenName?: string | null; familyName?: string | null; email?: string | null }, opts?: { trx?: Knex.Transaction }): Promise<Person>;
  /** Link another identity to an existing person (same person, second account). */
  linkIdentity(personId: number, identity: Pick<SignInIdentity, 'provider' | 'issuer' | 'subject'>, opts?: { trx?: Knex.Transaction }): Promise<void>;
  /** Attributes of the person's last sign-in with `provider` (or any provider). */
  lastAttributes(personId: number, provider?: string): Promise<Record<string, string[]>>;
  /** End every session of the person, on every device (sign-out everywhere). Returns how many ended. */
  signOutEverywhere(personId: number): Promise<number>;
}

/** Roles, privileges, assignments, components and rules of an institution. Provided by the core. */
export interface Roles {
  list(institutionId: number): Promise<RoleInfo[]>;
  /** Privileges the role holds, its own and its ancestors'. */
  effectivePrivileges(institutionId: number, role: string): Promise<Set<string>>;
  /** Grant or revoke a privilege; audited. Unknown privileges are refused (`SMILE_ERR_VALIDATION`). */
  setPrivilege(actor: RequestContext | AuditActor, role: string, privilege: string, granted: boolean): Promise<void>;
  createRole(actor: RequestContext | AuditActor, role: { key: string; name: Bilingual; parent: string | null; externalAccess: boolean }): Promise<void>;
  updateRole(actor: RequestContext | AuditActor, key: string, patch: { name?: Bilingual; parent?: string | null; externalAccess?: boolean }): Promise<void>;
  deleteRole(actor: RequestContext | AuditActor, key: string): Promise<void>;
  assignments(institutionId: number, personId: number): Promise<RoleAssignment[]>;
  /** Give a role (manual source), optionally limited to components; audited. */
  assign(actor: RequestContext | AuditActor, personId: number, role: string, components?: string[], opts?: { trx?: Knex.Transaction }): Promise<RoleAssignment>;
  unassign(actor: RequestContext | AuditActor, assignmentId: number): Promise<void>;
  components(institutionId: number): Promise<Array<{ code: string; name: Bilingual }>>;
  /** Create or rename a component (UFR, faculty, department); audited. */
  saveComponent(actor: RequestContext | AuditActor, component: { code: string; name: Bilingual }): Promise<void>;
  rules(institutionId: number): Promise<RoleRule[]>;
  /** Create (no id) or replace a rule; validated (role and attribute names), audited. */
  saveRule(actor: RequestContext | AuditActor, rule: Omit<RoleRule, 'id' | 'position'> & { id?: number }): Promise<RoleRule>;
  deleteRule(actor: RequestContext | AuditActor, id: number): Promise<void>;
  /** Which roles (and scopes) the rules would give to someone with these attributes; changes nothing. */
  previewRules(institutionId: number, attributes: Record<string, string[]>): Promise<Array<{ role: string; components: string[]; ruleId: number; ruleName: string }>>;
}

/**
 * A small shared key-value store with expiry: Redis when `REDIS_URL` is set (shared by every
 * process), a database table otherwise. For replay caches, rate limits and short-lived tokens;
 * not for data that must survive.
 */
export interface KeyValueStore {
  /** Store `value` under `key` only if absent; `true` when stored (the first caller wins). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  get(key: string): Promise<string | null>;
  /** Remove and return the value (one consumer wins). */
  take(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;
  /** Increment a counter (created at 1 with `ttlMs`; the expiry is not extended). Returns the new count. */
  increment(key: string, ttlMs: number): Promise<number>;
}
