import { Foundation1764000000000 } from './1764000000000-foundation';

/** In order; listed by hand so the bundle, the CLI and tests run exactly the same set. */
export const migrations = [Foundation1764000000000];
