import type { PartContext } from './context.js';

/** Placeholder: filled in by the admin part. */
export function registerAdmin(_p: PartContext): void {}
