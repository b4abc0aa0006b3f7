import { readFileSync } from 'node:fs';
import { definePlugin } from '@smile/sdk';
import { settingsSchema } from './settings.js';
import { registerSignIn } from './sign-in.js';
import { registerInvitations } from './invitations.js';
import { registerAccept } from './accept.js';
import { registerReset } from './reset.js';
import { registerAccount } from './account.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/auth-local@${VERSION}/auth-local.css">`;

export type { Settings } from './settings.js';

/**
 * Local accounts for guests who have no account at a federation identity provider: invitation
 * by email, password (scrypt), reset by email, lockout and per-IP limits, optional TOTP second
 * factor (required for some roles). People, identities, roles and audit go through the core's
 * services; this plugin keeps only the accounts and the invitations.
 */
export default definePlugin({
  settings: settingsSchema,
  permissions: {
    'auth-local:guests.manage': {
      description: { fr: 'Inviter des invités (comptes locaux), suivre et révoquer les invitations', en: 'Invite guests (local accounts), follow and revoke invitations' },
      defaultRoles: ['manager'],
    },
    // only decides who sees the menu entry: the account pages themselves check for a local account
    'auth-local:account.manage': {
      description: { fr: 'Voir le lien « Sécurité du compte invité » (mot de passe, double authentification)', en: 'See the “Guest account security” link (password, two-step sign-in)' },
      defaultRoles: ['guest'],
    },
  },
  register(r) {
    r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('auth-local/') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
    r.nav({ href: '/local/account', area: 'user', permission: 'auth-local:account.manage', weight: 90, label: { fr: 'Sécurité du compte invité', en: 'Guest account security' } });
    registerSignIn(r);
    registerReset(r);
    registerAccept(r);
    registerAccount(r);
    registerInvitations(r);
  },
});
