import type { PartContext } from './context.js';

/** Placeholder: filled in by the editor part. */
export function registerEditor(_p: PartContext): void {}
