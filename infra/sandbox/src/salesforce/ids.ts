/**
 * Salesforce record ids: 3-character key prefix + 12 characters, plus the 3-character case-safe
 * suffix that makes the 18-character form.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Appends the case-safe checksum to a 15-character id. */
export function to18(id15: string): string {
  if (id15.length !== 15) throw new Error(`not a 15-character id: ${id15}`);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return id15 + suffix;
}

/** Builds the `n`-th id for a key prefix on a 2-character pod. */
export function makeId(prefix: string, pod: string, n: number): string {
  let body = '';
  let x = n;
  for (let i = 0; i < 10; i++) {
    body = BASE62.charAt(x % 62) + body;
    x = Math.floor(x / 62);
  }
  return to18(`${prefix}${pod}${body}`);
}

/** True for a syntactically valid 15- or 18-character id. */
export function isValidId(id: string): boolean {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)) return false;
  return id.length === 15 || to18(id.slice(0, 15)).toLowerCase() === id.toLowerCase();
}

/** Normalises a 15- or 18-character id to the stored 18-character form. */
export function normaliseId(id: string): string {
  return id.length === 15 ? to18(id) : id.slice(0, 15) + id.slice(15).toUpperCase();
}
