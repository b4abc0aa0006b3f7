import type { PartContext } from './context.js';

/** Placeholder: filled in by the demo part. */
export function registerDemo(_p: PartContext): void {}
