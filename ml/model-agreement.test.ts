import { describe, expect, it } from 'vitest';
import { compareVerdicts, maxWeightAssignment, type PairedVerdict } from './model-agreement.ts';

describe('maxWeightAssignment', () => {
  it.each([
    [
      'a permutation',
      [
        [0, 9, 0],
        [0, 0, 7],
        [5, 0, 0],
      ],
      [1, 2, 0],
    ],
    // Greedy would take 10 (row 0 -> column 0) and be left with 1; the best total is 9 + 8.
    [
      'where greedy is wrong',
      [
        [10, 9],
        [8, 1],
      ],
      [1, 0],
    ],
    ['more columns than rows', [[1, 5, 2]], [1]],
    ['more rows than columns: one row unassigned', [[3], [7], [1]], [-1, 0, -1]],
  ])('%s', (_, weights, expected) => {
    expect(maxWeightAssignment(weights)).toEqual(expected);
  });

  it('is empty for no clusters', () => {
    expect(maxWeightAssignment([])).toEqual([]);
  });
});

function pairs(spec: [number, boolean, number, boolean][]): PairedVerdict[] {
  return spec.map(([liveCluster, liveAnomaly, candidateCluster, candidateAnomaly], i) => ({
    sampleId: `s${i}`,
    live: { cluster: liveCluster, anomaly: liveAnomaly },
    candidate: { cluster: candidateCluster, anomaly: candidateAnomaly },
  }));
}

describe('compareVerdicts', () => {
  it('agrees fully when the candidate only renumbers the clusters', () => {
    const report = compareVerdicts(
      pairs([
        [0, false, 2, false],
        [1, false, 0, false],
        [2, true, 1, true],
        [0, false, 2, false],
      ]),
    );
    expect(report.matching).toEqual({ 0: 1, 1: 2, 2: 0 });
    expect(report).toMatchObject({
      records: 4,
      clusterAgreement: 1,
      tagAgreement: 1,
      disagreeing: 0,
      liveAnomalyRate: 0.25,
      candidateAnomalyRate: 0.25,
    });
  });

  it('counts records in clusters the candidate splits or tags differently, with examples', () => {
    const report = compareVerdicts(
      pairs([
        [0, false, 0, false],
        [0, false, 0, false],
        [0, false, 1, true],
        [1, false, 2, false],
        [1, true, 2, false],
      ]),
      2,
    );
    // Candidate 0 -> live 0 (2 records), candidate 2 -> live 1 (2), candidate 1 matched to none.
    expect(report.matching).toEqual({ 0: 0, 2: 1 });
    expect(report.clusterAgreement).toBe(4 / 5);
    expect(report.tagAgreement).toBe(3 / 5);
    expect(report.liveAnomalyRate).toBe(1 / 5);
    expect(report.candidateAnomalyRate).toBe(1 / 5);
    expect(report.disagreeing).toBe(2);
    expect(
      report.disagreements.map((d) => [d.sampleId, d.candidateAsLive, d.clusterDiffers, d.tagDiffers]),
    ).toEqual([
      ['s2', undefined, true, true],
      ['s4', 1, false, true],
    ]);
  });

  it('reports nothing to compare as zeros', () => {
    expect(compareVerdicts([])).toMatchObject({ records: 0, clusterAgreement: 0, disagreements: [] });
  });
});
