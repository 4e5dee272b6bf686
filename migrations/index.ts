import { Foundation1764000000000 } from './1764000000000-foundation.js';

/** Every migration, oldest first. Listed explicitly: no globbing of compiled files at run time. */
export const migrations = [Foundation1764000000000];
