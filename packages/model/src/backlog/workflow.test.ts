import { describe, expect, it } from 'vitest';
import { suggestReach } from './suggestReach';
import { mergeEvidence, nextBacklogStates, refuseTransition } from './workflow';

describe('backlog workflow', () => {
  it('moves forward one step at a time', () => {
    expect(refuseTransition('new', 'triaged', null)).toBeNull();
    expect(refuseTransition('in_progress', 'done', null)).toBeNull();
    expect(refuseTransition('new', 'done', null)).toMatch(/cannot move from new to done; from new it can go to triaged, declined/);
  });
  it('needs a reason to decline', () => {
    expect(refuseTransition('triaged', 'declined', '  ')).toMatch(/reason/);
    expect(refuseTransition('triaged', 'declined', 'Out of scope for this product.')).toBeNull();
  });
  it('reopens done and declined items', () => {
    expect(nextBacklogStates('done')).toEqual(['in_progress']);
    expect(nextBacklogStates('declined')).toEqual(['new']);
  });
});

describe('mergeEvidence', () => {
  it('appends the evidence the target lacks, once', () => {
    const a = [{ kind: 'url' as const, ref: 'https://x', note: '', teamId: null }];
    const b = [{ kind: 'url' as const, ref: 'https://x', note: 'dup', teamId: null }, { kind: 'feedback' as const, ref: 'f1', note: '', teamId: 't1' }];
    expect(mergeEvidence(a, b).map((e) => e.ref)).toEqual(['https://x', 'f1']);
  });
});

describe('suggestReach', () => {
  it('counts distinct teams from requester and evidence', () => {
    expect(suggestReach({ requesterTeamId: 't1', evidenceTeamIds: ['t1', 't2', null] })).toEqual({ value: 2, basis: '2 consuming teams (the requester’s team, teams linked as evidence)' });
  });
  it('counts subscribers when given', () => {
    expect(suggestReach({ requesterTeamId: null, evidenceTeamIds: [], subscriberTeamIds: ['a', 'b', 'c'] })?.value).toBe(3);
  });
  it('suggests nothing without signals', () => {
    expect(suggestReach({ requesterTeamId: null, evidenceTeamIds: [null] })).toBeNull();
  });
});
