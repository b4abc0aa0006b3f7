/**
 * A role and its ancestors: a child role counts as its parent (a senior manager acts as a manager).
 * Roles have one parent; a bad edit could make a loop, which the walk stops at.
 */
export function roleLineage(roles: ReadonlyArray<{ key: string; parent: string | null }>, key: string): string[] {
  const parent = new Map(roles.map((r) => [r.key, r.parent]));
  const out: string[] = [];
  for (let k: string | null | undefined = key; k && !out.includes(k); k = parent.get(k)) out.push(k);
  return out;
}
