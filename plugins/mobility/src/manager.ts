import { readFileSync } from 'node:fs';
import type { RegisterApi } from '@smile/sdk';
import { registerFile } from './manager-file.js';
import { registerList } from './manager-list.js';
import { registerNew } from './manager-new.js';
import { PERMISSIONS } from './permissions.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/mobility@${VERSION}/manager.css">`;

/** The manager space: the files list, the create form, a file's page and its transitions. */
export function registerManager(r: RegisterApi<any>): void {
  r.nav({ href: '/mobility', area: 'main', permission: PERMISSIONS.read, label: { fr: 'Dossiers de mobilité', en: 'Mobility files' }, weight: 30 });
  r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('mobility/manager-') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
  r.route({
    method: 'GET',
    path: '/mobility',
    permission: PERMISSIONS.read,
    async handler(ctx) {
      ctx.koa.status = 303;
      ctx.koa.redirect('/mobility/files');
    },
  });
  // before /:id, so that "new" is not taken for an id
  registerNew(r);
  registerList(r);
  registerFile(r);
}
