import { describe, expect, it } from 'vitest';
import { ALL_TEAMS, inTeamView, teamView } from '../../surveys/alert-teams.ts';

describe('which alerts a lead sees', () => {
  it.each([
    [undefined, undefined, { kind: 'all' }],
    [undefined, 'billing', { kind: 'team', team: 'billing' }],
    ['shipping', 'billing', { kind: 'team', team: 'shipping' }],
    [ALL_TEAMS, 'billing', { kind: 'all' }],
    ['shipping', undefined, { kind: 'team', team: 'shipping' }],
  ] as const)('Should, asked for %s by a lead of team %s, show %j', (requested, callerTeam, expected) => {
    // Act / Assess
    expect(teamView(requested, callerTeam)).toEqual(expected);
  });

  it('Should show a team its own alerts and the alerts of no team, but not another team’s', () => {
    // Prepare
    const billing = { kind: 'team', team: 'billing' } as const;

    // Act / Assess
    expect(inTeamView({ segments: { team: 'billing' } }, billing)).toBe(true);
    expect(inTeamView({ segments: { store: 'web' } }, billing)).toBe(true);
    expect(inTeamView({ segments: { team: 'shipping' } }, billing)).toBe(false);
    expect(inTeamView({ segments: { team: 'shipping' } }, { kind: 'all' })).toBe(true);
  });
});
