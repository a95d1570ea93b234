/** The handlers' name for the domain's issue messages (surveys/issues.ts): one format for every refusal. */
export { describeIssues, joinIssues } from '#surveys/issues.ts';
