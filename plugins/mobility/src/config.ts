import type { RegisterApi } from '@smile/sdk';
import type { MobilityHooks } from './hooks.js';

/** Placeholder: filled in by the config part. */
export function registerConfig(_r: RegisterApi<any>, _hooks: MobilityHooks): void {}
