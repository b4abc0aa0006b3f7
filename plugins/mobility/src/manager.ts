import type { RegisterApi } from '@smile/sdk';

/** Placeholder: filled in by the manager part. */
export function registerManager(_r: RegisterApi<any>): void {}
