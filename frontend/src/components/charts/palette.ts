/** Series colours for charts: the app's accent first, then calm, distinguishable hues (colour-blind safe order). */
export const SERIES = ['#1f5f52', '#c26a1b', '#3f6fb5', '#8a4fa3', '#b8484f', '#5f8f3e', '#7a7f7c'];

export const OUTCOME_COLORS: Record<string, string> = {
  Converted: '#1c7049',
  'Dropped off': '#b42318',
  'Still active': '#87918d',
};

export const AXIS = { stroke: '#87918d', fontSize: 12 };
export const GRID = '#e4e7e5';

export function seriesColor(i: number): string {
  return SERIES[i % SERIES.length]!;
}
