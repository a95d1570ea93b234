/** The SNS message support leads get for an alert; attributes let each lead subscribe with a filter policy. */
import type { Alert } from '../model.ts';

export function alertMessage(alert: Alert, dashboardUrl: string): { subject: string; body: string; attributes: Record<string, string> } {
  const where = Object.entries(alert.segments)
    .filter(([dimension]) => dimension !== 'locale')
    .map(([dimension, value]) => `${dimension}: ${value}`)
    .join(', ');
  const lines = [
    alert.kind === 'detractor'
      ? `A customer answered ${alert.metric?.toUpperCase()} ${alert.score} on survey ${alert.survey}.`
      : `Customer ${alert.customerId} is at risk of churning.`,
    `Customer: ${alert.customerId}`,
    ...(alert.subjectRef ? [`About: ${alert.subjectRef}`] : []),
    ...(where ? [`Segments: ${where}`] : []),
    ...(alert.comment ? [`Comment: ${alert.comment}`] : []),
    ...(alert.reasons?.length ? [`Reasons: ${alert.reasons.join('; ')}`] : []),
    '',
    `Open, acknowledge and resolve: ${dashboardUrl}#alert=${encodeURIComponent(alert.id)}`,
  ];
  return {
    subject: `[ankieta] ${alert.kind === 'detractor' ? 'Detractor' : 'Churn risk'}: ${alert.metric?.toUpperCase() ?? ''} ${alert.score ?? ''}`.trim().slice(0, 99),
    body: lines.join('\n'),
    attributes: {
      kind: alert.kind,
      ...(alert.survey ? { survey: alert.survey } : {}),
      ...(alert.segments.team ? { team: alert.segments.team } : {}),
      ...(alert.segments.store ? { store: alert.segments.store } : {}),
      severity: alert.kind === 'churn-risk' || (alert.score ?? 10) <= 2 ? 'high' : 'normal',
    },
  };
}
