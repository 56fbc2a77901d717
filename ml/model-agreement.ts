/**
 * How far a candidate model agrees with the live one on the same records. Cluster numbers are
 * arbitrary per training (cluster 3 of one model may be cluster 0 of the other, and k may
 * differ), so the clusters are matched first: the one-to-one matching of live to candidate
 * clusters that pairs the most records (the assignment problem on the confusion matrix, solved
 * exactly by the Hungarian algorithm). Agreement is then the share of records whose candidate
 * cluster is matched to their live cluster. Pure.
 */

export interface ModelVerdict {
  cluster: number;
  anomaly: boolean;
}

export interface PairedVerdict {
  sampleId: string;
  live: ModelVerdict;
  candidate: ModelVerdict;
}

export interface Disagreement extends PairedVerdict {
  /** The live cluster the candidate's cluster is matched to (undefined: matched to none). */
  candidateAsLive: number | undefined;
  clusterDiffers: boolean;
  tagDiffers: boolean;
}

export interface AgreementReport {
  records: number;
  /** Candidate cluster -> live cluster it is matched to. */
  matching: Record<number, number>;
  /** Share of records in matched clusters: candidate cluster matched to the live one. */
  clusterAgreement: number;
  /** Share of records with the same tag. */
  tagAgreement: number;
  liveAnomalyRate: number;
  candidateAnomalyRate: number;
  /** The first `examples` records on which the two disagree, in input order. */
  disagreements: Disagreement[];
  disagreeing: number;
}

/**
 * The assignment maximising the total weight of a rows x columns matrix (rows <= columns or not):
 * for each row, the column it is assigned to, or -1 when there are more rows than columns.
 * Hungarian algorithm (Kuhn-Munkres with potentials), O(n^3) on the padded square matrix.
 */
export function maxWeightAssignment(weights: readonly (readonly number[])[]): number[] {
  const rows = weights.length;
  const columns = Math.max(0, ...weights.map((row) => row.length));
  const n = Math.max(rows, columns);
  if (n === 0) return [];
  let largest = 0;
  for (const row of weights) for (const value of row) largest = Math.max(largest, value);
  // Minimise cost = largest - weight over the square matrix; padding cells cost `largest` (weight 0).
  const cost = (i: number, j: number) => largest - (weights[i - 1]?.[j - 1] ?? 0);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const owner = new Int32Array(n + 1); // owner[j]: the row assigned to column j (1-based), 0 = none
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    owner[0] = i;
    let column = 0;
    const minimum = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[column] = 1;
      const row = owner[column]!;
      let delta = Infinity;
      let next = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const reduced = cost(row, j) - u[row]! - v[j]!;
        if (reduced < minimum[j]!) {
          minimum[j] = reduced;
          way[j] = column;
        }
        if (minimum[j]! < delta) {
          delta = minimum[j]!;
          next = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[owner[j]!]! += delta;
          v[j]! -= delta;
        } else minimum[j]! -= delta;
      }
      column = next;
    } while (owner[column] !== 0);
    do {
      const previous = way[column]!;
      owner[column] = owner[previous]!;
      column = previous;
    } while (column !== 0);
  }
  const assigned = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j++) {
    const row = owner[j]! - 1;
    if (row < rows && j - 1 < columns) assigned[row] = j - 1;
  }
  return assigned;
}

/** Compares two models' verdicts on the same records (pairs joined by sample_id). */
export function compareVerdicts(pairs: readonly PairedVerdict[], examples = 5): AgreementReport {
  const candidateClusters = Math.max(0, ...pairs.map((pair) => pair.candidate.cluster + 1));
  const liveClusters = Math.max(0, ...pairs.map((pair) => pair.live.cluster + 1));
  const confusion = Array.from({ length: candidateClusters }, () => new Array<number>(liveClusters).fill(0));
  for (const pair of pairs) confusion[pair.candidate.cluster]![pair.live.cluster]!++;
  const assignment = maxWeightAssignment(confusion);
  const matching: Record<number, number> = {};
  assignment.forEach((live, candidate) => {
    if (live >= 0) matching[candidate] = live;
  });

  let sameCluster = 0;
  let sameTag = 0;
  let liveAnomalies = 0;
  let candidateAnomalies = 0;
  let disagreeing = 0;
  const disagreements: Disagreement[] = [];
  for (const pair of pairs) {
    const candidateAsLive = matching[pair.candidate.cluster];
    const clusterDiffers = candidateAsLive !== pair.live.cluster;
    const tagDiffers = pair.live.anomaly !== pair.candidate.anomaly;
    if (!clusterDiffers) sameCluster++;
    if (!tagDiffers) sameTag++;
    if (pair.live.anomaly) liveAnomalies++;
    if (pair.candidate.anomaly) candidateAnomalies++;
    if (clusterDiffers || tagDiffers) {
      disagreeing++;
      if (disagreements.length < examples)
        disagreements.push({ ...pair, candidateAsLive, clusterDiffers, tagDiffers });
    }
  }
  const share = (count: number) => (pairs.length === 0 ? 0 : count / pairs.length);
  return {
    records: pairs.length,
    matching,
    clusterAgreement: share(sameCluster),
    tagAgreement: share(sameTag),
    liveAnomalyRate: share(liveAnomalies),
    candidateAnomalyRate: share(candidateAnomalies),
    disagreements,
    disagreeing,
  };
}
