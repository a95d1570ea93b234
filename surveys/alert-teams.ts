/**
 * Which alerts a lead sees first (issue 12, "teams"): a lead with a team (`custom:team`) gets their team's
 * alerts by default, and may ask for another team's or for all. It is a view, not a wall: any lead may
 * still acknowledge or resolve any alert, so a team away on holiday never strands a detractor.
 *
 * An alert without a team (a post-purchase survey names a store, not a support team) belongs to no one's
 * team, so every team view shows it: hiding it would leave it unseen.
 */
import type { Alert } from './model.ts';

/** `?team=all` in the API: every team's alerts. */
export const ALL_TEAMS = 'all';

export type TeamView = { kind: 'all' } | { kind: 'team'; team: string };

/** The view asked for (`?team=`), else the caller's own team, else all. */
export function teamView(requested: string | undefined, callerTeam: string | undefined): TeamView {
  const team = requested ?? callerTeam;
  return team === undefined || team === ALL_TEAMS ? { kind: 'all' } : { kind: 'team', team };
}

export function inTeamView(alert: Pick<Alert, 'segments'>, view: TeamView): boolean {
  return view.kind === 'all' || alert.segments.team === undefined || alert.segments.team === view.team;
}
