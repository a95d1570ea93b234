/**
 * The lead's context of an alert: who the customer is and what they answered before. Apart from
 * raise-alert.ts, which imports the comment classifier (NLP.js), so the churn-risk path and the alert
 * list carry no NLP code (bench/RESULTS.md, bundles).
 */
import type { Alert, PreviousScore } from '../model.ts';
import type { CustomerHistoryReader } from '../ports.ts';
import { maskedContact } from '../templates/alert.ts';

/** Previous scores shown to the lead. */
export const PREVIOUS_SCORES_SHOWN = 5;

/** Who the customer is and what they answered before (the lead's context), from the profile and history. */
export async function customerContext(
  customerId: string,
  excludeInvitationId: string | undefined,
  customers: CustomerHistoryReader,
): Promise<Pick<Alert, 'customerName' | 'maskedContact' | 'previousScores'>> {
  const [profile, history] = await Promise.all([customers.getProfile(customerId), customers.listCustomerResponses(customerId, PREVIOUS_SCORES_SHOWN + 1)]);
  const previousScores: PreviousScore[] = history
    .filter((h) => h.invitationId !== excludeInvitationId)
    .slice(0, PREVIOUS_SCORES_SHOWN)
    .map((h) => ({ survey: h.surveyId, metric: h.metric, score: h.score, at: h.answeredAt }));
  const contact = profile ? maskedContact(profile) : undefined;
  return {
    ...(profile?.name ? { customerName: profile.name } : {}),
    ...(contact ? { maskedContact: contact } : {}),
    ...(previousScores.length ? { previousScores } : {}),
  };
}
