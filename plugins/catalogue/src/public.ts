import type { PartContext } from './context.js';

/** Placeholder: filled in by the public part. */
export function registerPublic(_p: PartContext): void {}
