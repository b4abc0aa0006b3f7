import type { RegisterApi } from '@smile/sdk';
import type { MobilityHooks } from './hooks.js';

/** Placeholder: filled in by the mail part. */
export function registerMail(_r: RegisterApi<any>, _hooks: MobilityHooks): void {}
