import { createMatrix, type Matrix } from './matrix';
import { meanSd } from './stats';

/** z-scores with training means and sds; missing values become 0 (the mean). Constant columns stay 0. */
export interface Standardizer {
  readonly names: readonly string[];
  readonly means: Float64Array;
  readonly sds: Float64Array;
}

export function fitStandardizer(x: Matrix): Standardizer {
  const means = new Float64Array(x.cols);
  const sds = new Float64Array(x.cols);
  for (let j = 0; j < x.cols; j++) {
    const { mean, sd } = meanSd(x.values.subarray(j * x.rows, (j + 1) * x.rows));
    means[j] = Number.isNaN(mean) ? 0 : mean;
    sds[j] = sd;
  }
  return { names: [...x.names], means, sds };
}

export function standardize(s: Standardizer, x: Matrix): Matrix {
  const out = createMatrix(x.rows, x.names);
  for (let j = 0; j < x.cols; j++) {
    const m = s.means[j]!;
    const sd = s.sds[j]! > 0 ? s.sds[j]! : 1;
    const off = j * x.rows;
    for (let i = 0; i < x.rows; i++) {
      const v = x.values[off + i]!;
      out.values[off + i] = Number.isNaN(v) ? 0 : (v - m) / sd;
    }
  }
  return out;
}

/** Row-major copy: clustering loops visit one row's features together. */
export function toRowMajor(x: Matrix): Float64Array {
  const out = new Float64Array(x.rows * x.cols);
  for (let j = 0; j < x.cols; j++) {
    const off = j * x.rows;
    for (let i = 0; i < x.rows; i++) out[i * x.cols + j] = x.values[off + i]!;
  }
  return out;
}
