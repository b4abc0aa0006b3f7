/**
 * A typed reference to a service in the platform's container. Plugins declare and resolve
 * services through refs, never through raw strings, so a renamed or missing service fails
 * at boot instead of at request time.
 *
 * @typeParam T - the service's type.
 */
export interface ServiceRef<T> {
  /** Unique id, `<owner>.<name>` (e.g. `core.mailer`, `hello.greeter`). */
  readonly id: string;
  /** `singleton` lives for the process; `request` is built once per HTTP request scope. */
  readonly scope: 'singleton' | 'request';
  /** Phantom field carrying the type; never set at run time. */
  readonly $type?: T;
}

const REF_ID = /^[a-z][a-z0-9-]*\.[a-zA-Z][a-zA-Z0-9]*$/;

/**
 * Create a service ref.
 * @example
 * export const greeterRef = createServiceRef<Greeter>({ id: 'hello.greeter' });
 */
export function createServiceRef<T>(opts: { id: string; scope?: 'singleton' | 'request' }): ServiceRef<T> {
  if (!REF_ID.test(opts.id)) {
    throw new TypeError(`Service ref id "${opts.id}" must look like "<plugin-id>.<serviceName>"`);
  }
  return Object.freeze({ id: opts.id, scope: opts.scope ?? 'singleton' });
}

/** Maps a record of refs to a record of their service types. */
export type ResolvedDeps<D extends Record<string, ServiceRef<unknown>>> = {
  [K in keyof D]: D[K] extends ServiceRef<infer T> ? T : never;
};
