import { defineTheme, z } from '@smile/sdk';

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #0b5cad');

/**
 * Settings every theme inherits: an institution admin edits them per institution.
 * Colours are validated strictly because they are written into the page's CSS.
 */
export const baseThemeSettings = z.object({
  primaryColor: colour.optional(),
  accentColor: colour.optional(),
  /** A site-relative path or an https URL to the institution's logo (SVG or PNG). */
  logoUrl: z.string().regex(/^(\/[\w@./-]*|https:\/\/[\w.-]+\/[\w@%./?=&-]*)$/, 'a path starting with / or an https URL').optional(),
  footerLinks: z
    .array(z.object({ labelFr: z.string().min(1).max(80), labelEn: z.string().min(1).max(80), url: z.string().regex(/^(\/|https:\/\/)/, 'a path starting with / or an https URL') }))
    .max(10)
    .default([]),
});

export default defineTheme({ settings: baseThemeSettings });
