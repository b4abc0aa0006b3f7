import type { IdpDirectory } from './idps.js';
import type { SpKeyStore } from './keys.js';
import type { SamlSettings } from './settings.js';

/** What the routes share: instance settings, the SP key store, the IdP directory. */
export interface SamlState {
  base: SamlSettings;
  keys: SpKeyStore;
  directory: IdpDirectory;
}

/** Cookie remembering the IdPs a browser chose last (entityIDs, most recent first). */
export const REMEMBER_COOKIE = 'smile_saml_idps';
export const REMEMBER_MAX = 3;

/** The remembered entityIDs of a cookie value (base64url JSON), or none when it is not ours. */
export function readRemembered(value: string | undefined): string[] {
  if (!value || value.length > 4000) return [];
  try {
    const list = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string' && x.length <= 500).slice(0, REMEMBER_MAX) : [];
  } catch {
    return [];
  }
}

export function writeRemembered(list: string[], chosen: string): string {
  const next = [chosen, ...list.filter((x) => x !== chosen)].slice(0, REMEMBER_MAX);
  return Buffer.from(JSON.stringify(next), 'utf8').toString('base64url');
}
