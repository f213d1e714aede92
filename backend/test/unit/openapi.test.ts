import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/cli/cairn';

const API_DIR = join(__dirname, '../../../frontend/src/api');

/** The frontend's typed client is generated from the committed spec; both must match the controllers. */
describe('committed OpenAPI spec and client types', () => {
  it('match the API as built (regenerate with `npm run openapi -w @cairn/backend`)', async () => {
    const doc = await buildOpenApiDocument();
    const committed = JSON.parse(await readFile(join(API_DIR, 'openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
    const types = astToString(await openapiTS(JSON.parse(JSON.stringify(doc))));
    const committedTypes = await readFile(join(API_DIR, 'schema.d.ts'), 'utf8');
    expect(normalise(committedTypes)).toBe(normalise(types));
  });

  it('documents every route with an operation id', async () => {
    const doc = await buildOpenApiDocument();
    const ops = Object.values(doc.paths).flatMap((p) =>
      Object.values(p as Record<string, { operationId?: string }>),
    );
    expect(ops.length).toBeGreaterThanOrEqual(14);
    expect(ops.every((o) => o.operationId)).toBe(true);
  });
});

function normalise(s: string): string {
  return s
    .split('\n')
    .filter((l) => !l.startsWith('/**') && !l.startsWith(' *') && l.trim())
    .join('\n');
}
