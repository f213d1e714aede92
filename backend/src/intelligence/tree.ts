/**
 * One regression tree in flat arrays (node 0 is the root). A node with left[i] < 0 is a leaf.
 * Every node, not only leaves, keeps its value (the leaf value it would have had): path contributions
 * are the changes in value along the path a row takes.
 */
export interface Tree {
  readonly feature: Int32Array;
  /** Rows with x ≤ threshold go left; missing values go left when missingLeft[i] is 1. */
  readonly threshold: Float64Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Learning rate already applied. */
  readonly value: Float64Array;
  /** Loss reduction of the split (0 on leaves): summed per feature, the gain importance. */
  readonly gain: Float64Array;
  /** Training rows that reached the node. */
  readonly count: Int32Array;
}

export function treeLeaf(tree: Tree, x: (feature: number) => number): number {
  let node = 0;
  while (tree.left[node]! >= 0) {
    const v = x(tree.feature[node]!);
    const t = tree.threshold[node]!;
    node =
      v <= t
        ? tree.left[node]!
        : v > t
          ? tree.right[node]!
          : tree.missingLeft[node]
            ? tree.left[node]!
            : tree.right[node]!;
  }
  return node;
}

export function nodeCount(tree: Tree): number {
  return tree.feature.length;
}
