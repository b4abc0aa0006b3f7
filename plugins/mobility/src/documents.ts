import type { RegisterApi } from '@smile/sdk';
import type { MobilityHooks } from './hooks.js';

/** Placeholder: filled in by the documents part. */
export function registerDocuments(_r: RegisterApi<any>, _hooks: MobilityHooks): void {}
