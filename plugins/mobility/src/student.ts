import type { RegisterApi } from '@smile/sdk';
import type { MobilityHooks } from './hooks.js';

/** Placeholder: filled in by the student part. */
export function registerStudent(_r: RegisterApi<any>, _hooks: MobilityHooks): void {}
