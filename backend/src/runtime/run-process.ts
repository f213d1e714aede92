import { ConfigError } from '../config/config';
import { PortInUseError } from './ports';
import { StartupError } from './startup-error';

/** Runs a process's main function; errors a user can fix print as one line, anything else with its stack. */
export function runProcess(name: string, main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    if (e instanceof ConfigError || e instanceof StartupError || e instanceof PortInUseError) {
      process.stderr.write(`✖ ${name}: ${e.message}\n`);
    } else {
      process.stderr.write(`✖ ${name} failed: ${(e as Error)?.stack ?? String(e)}\n`);
    }
    process.exit(1);
  });
}
