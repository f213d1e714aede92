import type { ExtraControl } from './InsightsFilters';
import { DIMENSION_LABELS } from './types';

const DIMENSIONS = Object.entries(DIMENSION_LABELS).map(([value, label]) => ({ value, label }));

export const SPLIT_CONTROL: ExtraControl = {
  name: 'split',
  label: 'Split by',
  options: [{ value: '', label: 'Nothing' }, ...DIMENSIONS],
};

/** Time to drop-off always compares segments: first-touch channel unless another dimension is chosen. */
export const SEGMENT_CONTROL: ExtraControl = { name: 'split', label: 'Curves by', options: DIMENSIONS };

export const PATH_CONTROLS: ExtraControl[] = [
  {
    name: 'by',
    label: 'Steps',
    options: [
      { value: 'stage', label: 'Journey stages' },
      { value: 'touchpoint', label: 'Content categories' },
    ],
  },
  {
    name: 'top',
    label: 'Show',
    options: ['10', '5', '15', '25'].map((v) => ({ value: v, label: `Top ${v} paths` })),
  },
];
