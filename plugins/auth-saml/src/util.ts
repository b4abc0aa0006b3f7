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

export { safeReturnPath } from '@smile/sdk';

/** The first value of a query or form field, as sent (SAML messages are checked byte for byte): no trimming. */
export const field = (source: unknown, name: string): string => formField(source, name, true);
