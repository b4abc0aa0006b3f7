import path from 'node:path';
export { discoverPlugins } from '@smile/core';

/** The repository root (tests live in <root>/test). */
export function findRootForTests(): string {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
}
