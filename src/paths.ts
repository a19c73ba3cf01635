/**
 * Where the project's files are. This module sits one level below the project root (in src/),
 * exactly as the built bundle does (in dist/), so the same line finds the root from either.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../', import.meta.url));

/** A path inside the project: `fromRoot('drizzle')`. */
export const fromRoot = (...parts: string[]): string => join(projectRoot, ...parts);
