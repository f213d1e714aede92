/**
 * A new stage's key, derived from its label: lower-case letters, digits and underscores, starting with a letter
 * (what the API accepts), and not one of the keys already taken ("Ready to buy" → "ready_to_buy", then
 * "ready_to_buy_2").
 */
export function stageKey(label: string, taken: Iterable<string>): string {
  let base = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!base) base = 'stage';
  if (!/^[a-z]/.test(base)) base = `stage_${base}`;
  base = base.slice(0, 36).replace(/_+$/, '');
  const used = new Set(taken);
  let key = base;
  for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
  return key;
}
