import type { AuditActor } from '@smile/sdk';
import { startTestPlatform, TestClient, type TestPlatform, type TestResponse } from '@smile/sdk/testing';
import { catalogueService, type CatalogueStore } from '@smile/plugin-catalogue';

/** A platform with the catalogue, this connector and the base theme. */
export function boot(): Promise<TestPlatform> {
  return startTestPlatform({ plugins: ['sis-csv', 'catalogue', 'base'] });
}

export const store = (t: TestPlatform): CatalogueStore => t.resolve(catalogueService);
export const system = (t: TestPlatform): AuditActor => ({ institutionId: t.institution.id, label: 'test' });
export const YEAR = 2026;
export { COMPONENTS, FORMATIONS, courses } from './fixtures.js';

/** A manager (or another role) in a browser without JavaScript. */
export async function client(t: TestPlatform, roles: string[] = ['manager'], lang: 'fr' | 'en' = 'en'): Promise<TestClient> {
  const c = new TestClient(t, { lang, session: await t.signIn(roles) });
  await c.get('/catalogue/admin/import/csv');
  return c;
}

/** Upload files (as several file inputs would) for a preview. */
export function upload(c: TestClient, files: Record<string, string | Buffer>, year = YEAR): Promise<TestResponse> {
  const parts = Object.fromEntries(Object.entries(files).map(([name, data], i) => [`files${i || ''}`, { filename: name, data, mimeType: 'text/csv' }]));
  return c.upload('/catalogue/admin/import/csv', { year: String(year) }, parts);
}

/** The text of a page, tags removed, spaces collapsed (what a reader sees). */
export const visible = (html: string) =>
  html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, '’').replace(/&amp;/g, '&').replace(/&#34;|&quot;/g, '"').replace(/\s+/g, ' ');
