import { execFile } from 'node:child_process';
import { access, constants, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { StartupError } from './startup-error';

const run = promisify(execFile);
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
/** Built once per machine and reused by every checkout and CI run. */
export const CLI_CACHE_DIR = join(homedir(), '.cache', 'cairn', 'bin');

/**
 * Finds a Temporal CLI: TEMPORAL_CLI_PATH, `temporal` on PATH, the machine cache, or a `go install` into the
 * cache. Undefined means none could be had, and the SDK's own download is the last resort.
 */
export async function findTemporalCli(opts: {
  configured: string | undefined;
  pathEnv: string;
  log: (line: string) => void;
}): Promise<string | undefined> {
  if (opts.configured) {
    if (await isExecutable(opts.configured)) return opts.configured;
    throw new StartupError(`TEMPORAL_CLI_PATH=${opts.configured} is not an executable file.`);
  }
  for (const dir of [...opts.pathEnv.split(delimiter).filter(Boolean), CLI_CACHE_DIR]) {
    const candidate = join(dir, 'temporal');
    if (await isExecutable(candidate)) return candidate;
  }
  const go = await findOnPath('go', opts.pathEnv);
  if (!go) return undefined;
  opts.log(`Building the Temporal CLI once with go install ${TEMPORAL_CLI_MODULE} (a few minutes)…`);
  await mkdir(CLI_CACHE_DIR, { recursive: true });
  try {
    await run(go, ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: CLI_CACHE_DIR },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    opts.log(`go install failed (${(e as Error).message.split('\n')[0]}); falling back to the SDK download`);
    return undefined;
  }
  return join(CLI_CACHE_DIR, 'temporal');
}

async function findOnPath(name: string, pathEnv: string): Promise<string | undefined> {
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    if (await isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}
