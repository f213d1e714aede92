// What the e2e global set-up provides to tests through `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
    /** For tests that set up data the UI cannot make (e.g. months of history). */
    databaseUrl: string;
    dataDir: string;
    /** Written when the demo's behaviour history has loaded (or failed to): `{ result }` or `{ error }`. */
    demoHistoryFile: string;
    demo: { password: string; admin: string; marketer: string; sales: string };
  }
}
