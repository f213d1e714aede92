import { type ConversionPath } from './conversion-path';

/** Test shorthand: path('A > B', 2, 1, 20) is two conversions worth 20 and one null along A then B. */
export function path(route: string, conversions: number, nulls: number, value = 0): ConversionPath {
  return { channels: route.split(' > '), conversions, value, nulls };
}
