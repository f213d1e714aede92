/**
 * Reads `a.b.c` from nested records. A key that itself contains dots (event properties may) wins over the
 * path; only own keys count, so a field named like `constructor` never reads the prototype.
 */
export function readPath(record: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(record, path)) return record[path];
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
