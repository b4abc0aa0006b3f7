import { formField } from '@smile/sdk';

/** Escape text for an XML attribute or element. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * Text folded for search: lower case, without diacritics ("Università" → "universita",
 * "Université Lumière" → "universite lumiere"), whitespace collapsed.
 */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ß]/g, 'ss')
    .replace(/[œ]/g, 'oe')
    .replace(/[æ]/g, 'ae')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `value` when it is a path on this site (`/…`, not `//host` nor `/\host`, no control
 * characters), else `/`. RelayState and `return` parameters go through it: no open redirect.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  try {
    // the URL parser must agree that it stays on this origin
    const u = new URL(value, 'http://x.invalid');
    if (u.origin !== 'http://x.invalid') return '/';
    return u.pathname + u.search + u.hash;
  } catch {
    return '/';
  }
}

/** The first value of a query or form field, as sent (SAML messages are checked byte for byte): no trimming. */
export const field = (source: unknown, name: string): string => formField(source, name, true);
