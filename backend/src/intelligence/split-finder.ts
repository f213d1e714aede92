import { type HistogramLayout } from './histogram';

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
  hLeft: number;
  cLeft: number;
}

export function noSplit(): Split {
  return { gain: -Infinity, feature: -1, bin: -1, missingLeft: false, gLeft: 0, hLeft: 0, cLeft: 0 };
}

export function findBestSplit(
  hist: Float64Array,
  layout: HistogramLayout,
  nBins: Int32Array,
  gTotal: number,
  hTotal: number,
  cTotal: number,
  params: SplitParams,
  out: Split,
  featureMask?: Uint8Array,
): Split {
  out.gain = -Infinity;
  out.feature = -1;
  const { l2, minSamplesLeaf, minHessianLeaf } = params;
  if (cTotal < 2 * minSamplesLeaf || hTotal < 2 * minHessianLeaf) return out;
  const parentScore = (gTotal * gTotal) / (hTotal + l2);
  let best = params.minGain;
  for (let f = 0; f < layout.features; f++) {
    if (featureMask && !featureMask[f]) continue;
    const nb = nBins[f]!;
    const o = layout.offsets[f]! * 3;
    const mo = o + nb * 3;
    const gMiss = hist[mo]!;
    const hMiss = hist[mo + 1]!;
    const cMiss = hist[mo + 2]!;
    const hasMissing = cMiss > 0;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    // With missing values the last cut (all values left, missing right) is a real split too.
    const lastCut = hasMissing ? nb - 1 : nb - 2;
    for (let t = 0; t <= lastCut; t++) {
      const b = o + t * 3;
      gl += hist[b]!;
      hl += hist[b + 1]!;
      cl += hist[b + 2]!;
      // Missing right.
      let cr = cTotal - cl;
      if (cl >= minSamplesLeaf && cr >= minSamplesLeaf) {
        const hr = hTotal - hl;
        if (hl >= minHessianLeaf && hr >= minHessianLeaf) {
          const gr = gTotal - gl;
          const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
          if (gain > best) {
            best = gain;
            set(out, gain, f, t, !hasMissing && cl >= cr, gl, hl, cl);
          }
        }
      }
      if (hasMissing && t < nb - 1) {
        const gl2 = gl + gMiss;
        const hl2 = hl + hMiss;
        const cl2 = cl + cMiss;
        cr = cTotal - cl2;
        if (cl2 >= minSamplesLeaf && cr >= minSamplesLeaf) {
          const hr = hTotal - hl2;
          if (hl2 >= minHessianLeaf && hr >= minHessianLeaf) {
            const gr = gTotal - gl2;
            const gain = (gl2 * gl2) / (hl2 + l2) + (gr * gr) / (hr + l2) - parentScore;
            if (gain > best) {
              best = gain;
              set(out, gain, f, t, true, gl2, hl2, cl2);
            }
          }
        }
      }
    }
  }
  return out;
}

function set(
  out: Split,
  gain: number,
  f: number,
  t: number,
  missingLeft: boolean,
  g: number,
  h: number,
  c: number,
) {
  out.gain = gain;
  out.feature = f;
  out.bin = t;
  out.missingLeft = missingLeft;
  out.gLeft = g;
  out.hLeft = h;
  out.cLeft = c;
}
