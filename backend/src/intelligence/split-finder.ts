import { type HessianPacking, type HistogramLayout } from './histogram';

/**
 * Best split of one node from its histogram: for every feature, every cut "bin ≤ t" with missing values
 * sent left or right (both are tried when the node has missing values), scored by the second-order gain
 * G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). Ties keep the earlier feature and cut, so growth is deterministic.
 */
export interface SplitParams {
  l2: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  minGain: number;
}

export interface Split {
  gain: number;
  feature: number;
  /** Value bins 0..bin go left. */
  bin: number;
  missingLeft: boolean;
  gLeft: number;
  /** Packed count and quantised hessian of the left child (exact integer). */
  packedLeft: number;
}

export function noSplit(): Split {
  return { gain: -Infinity, feature: -1, bin: -1, missingLeft: false, gLeft: 0, packedLeft: 0 };
}

/**
 * gTotal and packedTotal describe the node; out is overwritten and returned. Only features [from, to)
 * are searched: the best split over all features is the first best of consecutive ranges, taken in
 * order, so ranges can be searched separately (and on separate threads) with the same result.
 */
export function findBestSplit(
  hist: Float64Array,
  layout: Pick<HistogramLayout, 'features' | 'offsets'>,
  nBins: Int32Array,
  gTotal: number,
  packedTotal: number,
  packing: HessianPacking,
  params: SplitParams,
  out: Split,
  featureMask?: Uint8Array,
  from = 0,
  to = layout.features,
): Split {
  out.gain = -Infinity;
  out.feature = -1;
  const { l2, minSamplesLeaf, minHessianLeaf } = params;
  const { countUnit, invCountUnit, hessianUnit } = packing;
  const cTotal = Math.floor(packedTotal * invCountUnit);
  const hTotal = (packedTotal - cTotal * countUnit) * hessianUnit;
  if (cTotal < 2 * minSamplesLeaf || hTotal < 2 * minHessianLeaf) return out;
  const parentScore = (gTotal * gTotal) / (hTotal + l2);
  // Count limits checked on packed values without decoding: count ≥ m ⇔ packed ≥ m · countUnit, because
  // the hessian part is always below one count unit.
  const minPacked = minSamplesLeaf * countUnit;
  const maxPacked = (cTotal - minSamplesLeaf + 1) * countUnit;
  let best = params.minGain;
  for (let f = from; f < to; f++) {
    if (featureMask && !featureMask[f]) continue;
    const nb = nBins[f]!;
    const o = layout.offsets[f]! * 2;
    const gMiss = hist[o + nb * 2]!;
    const pMiss = hist[o + nb * 2 + 1]!;
    const hasMissing = pMiss > 0;
    let gl = 0;
    let pl = 0;
    // With missing values the last cut (all values left, missing right) is a real split too.
    const lastCut = hasMissing ? nb - 1 : nb - 2;
    for (let t = 0; t <= lastCut; t++) {
      gl += hist[o + t * 2]!;
      pl += hist[o + t * 2 + 1]!;
      // Left only grows with t: once the right side is too small it stays too small.
      if (pl >= maxPacked) break;
      if (pl >= minPacked) {
        const cl = Math.floor(pl * invCountUnit);
        const hl = (pl - cl * countUnit) * hessianUnit;
        const hr = hTotal - hl;
        if (hl >= minHessianLeaf && hr >= minHessianLeaf) {
          const gr = gTotal - gl;
          const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
          if (gain > best) {
            best = gain;
            // Without missing values in the node, unseen missing values follow the larger side.
            record(out, gain, f, t, !hasMissing && 2 * cl >= cTotal, gl, pl);
          }
        }
      }
      if (hasMissing && t < nb - 1) {
        const pk = pl + pMiss;
        if (pk >= minPacked && pk < maxPacked) {
          const g = gl + gMiss;
          const cl = Math.floor(pk * invCountUnit);
          const hl = (pk - cl * countUnit) * hessianUnit;
          const hr = hTotal - hl;
          if (hl >= minHessianLeaf && hr >= minHessianLeaf) {
            const gr = gTotal - g;
            const gain = (g * g) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
            if (gain > best) {
              best = gain;
              record(out, gain, f, t, true, g, pk);
            }
          }
        }
      }
    }
  }
  return out;
}

export function record(
  out: Split,
  gain: number,
  f: number,
  t: number,
  missingLeft: boolean,
  g: number,
  packed: number,
) {
  out.gain = gain;
  out.feature = f;
  out.bin = t;
  out.missingLeft = missingLeft;
  out.gLeft = g;
  out.packedLeft = packed;
}
