import type { InstanceConfig, Institution } from './services.js';

/**
 * Where an institution is reached from outside, for links in mail (there is no request to take the
 * host from): its first declared host name over HTTPS — or the configured base URL when that is the
 * same host, to keep its scheme and port — else the configured base URL. No trailing slash.
 */
export function publicOrigin(institution: Pick<Institution, 'hostNames'>, config: Pick<InstanceConfig, 'baseUrl'>): string {
  const base = config.baseUrl.replace(/\/+$/, '');
  const host = institution.hostNames[0]?.toLowerCase();
  if (!host) return base;
  try {
    if (new URL(base).hostname.toLowerCase() === host) return base;
  } catch {
    // a base URL that does not parse: the host name alone decides
  }
  return `https://${host}`;
}
