// What the e2e global set-up provides to tests through `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
    demo: { password: string; admin: string; marketer: string; sales: string };
  }
}
