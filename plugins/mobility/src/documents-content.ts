/**
 * What an upload really is: its media type from its first bytes (never from the name or what the
 * browser announced), and whether its name is a plain file name.
 * @packageDocumentation
 */

/** Media types the platform recognises in a document's content. */
export const KNOWN_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type MediaType = (typeof KNOWN_MEDIA_TYPES)[number];

/** Short names shown to people ("PDF, JPEG"). */
export const MEDIA_LABELS: Record<MediaType, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

const SIGNATURES: Array<[MediaType, number[]]> = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
];

/** The media type the content starts like, or `null` when it is none of {@link KNOWN_MEDIA_TYPES}. */
export function sniffMediaType(data: Buffer): MediaType | null {
  for (const [type, magic] of SIGNATURES) {
    if (data.length >= magic.length && magic.every((b, i) => data[i] === b)) return type;
  }
  return null;
}

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Is `name` a plain file name? Refused: empty or blank, longer than 255 characters, holding a path
 * separator (`/`, `\`), `..`, or a control character. The name is only ever recorded and shown;
 * refusing these keeps a hostile name out of headers and pages as well as out of paths.
 */
export function isPlainFileName(name: string): boolean {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 255) return false;
  if (name.includes('/') || name.includes('\\') || name.includes('..')) return false;
  return !CONTROL.test(name);
}

/** `Content-Disposition` for a download: an ASCII fallback and the exact name in RFC 5987 form. */
export function attachmentDisposition(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_') || 'document';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A size in megabytes for messages ("10 MB", "2.5 MB"). */
export const megabytes = (bytes: number, lang: 'fr' | 'en'): string =>
  `${new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 }).format(bytes / 1024 / 1024)} ${lang === 'fr' ? 'Mo' : 'MB'}`;

/** A document's size for people: bytes, kB or MB ("840 kB", "2.4 MB"; "ko"/"Mo" in French). */
export function humanSize(bytes: number, lang: 'fr' | 'en'): string {
  const fmt = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${fmt.format(bytes)} ${lang === 'fr' ? 'o' : 'B'}`;
  if (bytes < 1024 * 1024) return `${fmt.format(bytes / 1024)} ${lang === 'fr' ? 'ko' : 'kB'}`;
  return megabytes(bytes, lang);
}
