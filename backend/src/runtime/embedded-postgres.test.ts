import { describe, expect, it } from 'vitest';
import { loadEmbeddedPostgres } from './embedded-postgres';

const EVENTS = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'message'] as const;
const counts = () => EVENTS.map((e) => process.listenerCount(e));

describe('loading embedded-postgres', () => {
  // Its exit hook calls process.exit(0) on beforeExit, overwriting the exit code (a test run with failures, or a
  // supervisor stopping on an error, would exit 0), and throws on exit.
  it('leaves none of its exit hook listeners on the process', async () => {
    const before = counts();
    await loadEmbeddedPostgres();
    expect(counts()).toEqual(before);
  });
});
