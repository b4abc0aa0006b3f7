/**
 * The student part of the mobility plugin: invitations and the link of a person to their file
 * (by invitation or by ESI at sign-in), the student space with its progress and timeline, the
 * profile, and sending a student step. Pages whose view starts with `mobility/student-` get the
 * part's stylesheet.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import type { RegisterApi } from '@smile/sdk';
import type { MobilityHooks } from './hooks.js';
import { registerJoin } from './student-join.js';
import { registerInvitationBlock } from './student-manager.js';
import { registerProfile } from './student-profile.js';
import { registerSpace } from './student-space.js';
import { registerTaps } from './student-taps.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/mobility@${VERSION}/student.css">`;

/** Register the student part: taps, routes, navigation and stylesheet. */
export function registerStudent(r: RegisterApi<any>, hooks: MobilityHooks): void {
  r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('mobility/student-') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
  registerTaps(r, hooks);
  registerInvitationBlock(r, hooks);
  registerJoin(r);
  registerSpace(r);
  registerProfile(r);
}
