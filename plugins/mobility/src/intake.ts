import type { RegisterApi } from '@smile/sdk';

/** Placeholder: filled in by the intake part. */
export function registerIntake(_r: RegisterApi<any>): void {}
