import type { Principal } from './plugin.js';

/**
 * Does `principal` hold `permission` — anywhere, or in `component` when given? A permission held
 * institution-wide covers every component.
 */
export function principalCan(principal: Principal, permission: string, component?: string | null): boolean {
  if (!principal.permissions.has(permission)) return false;
  const only = principal.scoped?.get(permission);
  if (!only || component === undefined) return true;
  return component !== null && only.has(component);
}

/** Where `principal` holds `permission`: `'all'`, some component codes, or `[]`. */
export function principalScope(principal: Principal, permission: string): 'all' | string[] {
  if (!principal.permissions.has(permission)) return [];
  const only = principal.scoped?.get(permission);
  return only ? [...only].sort() : 'all';
}
