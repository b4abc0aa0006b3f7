/**
 * The picker's in-memory caches, one set per database. Keys hold institution ids and catalogue
 * generations, which are only unique within one database: a process serving several (the test
 * suite starts a platform per file, each with institution 1 and generations from 1) must not find
 * one database's results under another's key. A knex instance and its transactions share one
 * client object: the caches of a database are found through it, and go with it.
 * @packageDocumentation
 */
const byDatabase = new WeakMap<object, Map<string, Map<string, unknown>>>();

/** The cache `name` of the database `db` (a knex instance or one of its transactions). */
export function cacheOf<V>(db: { client: object }, name: string): Map<string, V> {
  let all = byDatabase.get(db.client);
  if (!all) byDatabase.set(db.client, (all = new Map()));
  let cache = all.get(name);
  if (!cache) all.set(name, (cache = new Map()));
  return cache as Map<string, V>;
}
