import { describe, expect, it } from 'vitest';
import { activeControllerFromLogs } from './cluster-faults.ts';

const leader = (node: number, epoch: number) =>
  `[2026-12-03 14:48:02,729] INFO [RaftManager id=${node}] Completed transition to Leader(localVoterNode=VoterNode(voterKey=ReplicaKey(id=${node}, directoryId=x)), epoch=${epoch}, highWatermark=Optional.empty) from CandidateState(localId=${node}, epoch=${epoch}) (org.apache.kafka.raft.QuorumState)`;
const follower = (node: number, of: number, epoch: number) =>
  `[2026-12-03 14:48:03,090] INFO [RaftManager id=${node}] Completed transition to FollowerState(fetchTimeoutMs=2000, epoch=${epoch}, leader=${of}) (org.apache.kafka.raft.QuorumState)`;

describe('activeControllerFromLogs', () => {
  it('is the node that became leader in the latest epoch', () => {
    const logs = [
      [leader(1, 1), follower(1, 3, 2)].join('\n'),
      [follower(2, 1, 1), follower(2, 3, 2)].join('\n'),
      [follower(3, 1, 1), leader(3, 2)].join('\n'),
    ];
    expect(activeControllerFromLogs(logs)).toBe(3);
  });

  it('is undefined when no node has led yet', () => {
    expect(activeControllerFromLogs([follower(1, 2, 1), ''])).toBeUndefined();
  });
});
