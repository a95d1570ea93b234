/**
 * SES bounce and complaint notifications: the address goes on the suppression list so that no survey
 * is sent to it again, and a bounced invitation records that it never arrived.
 *
 * Primary course:
 *  1. Read the notification (SES event publishing through the configuration set: `eventType`; identity
 *     notifications: `notificationType` — both shapes are accepted).
 *  2. A permanent bounce suppresses each bounced recipient ("bounced"); a complaint suppresses each
 *     complaining recipient ("complained"). A transient or undetermined bounce suppresses nobody: the
 *     mailbox was full or the server busy, and SES already retried.
 *  3. The invitation named by the message's `invitation` tag is marked failed with the bounce's reason.
 *  4. A delivery or a complaint is marked on that invitation for the funnel (surveys/funnel/marks.ts).
 * https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 */
import * as z from '../zod.ts';
import type { DeliveryFeedbackStore, SuppressionStore } from '../ports.ts';
import type { FunnelMarks } from '../funnel/marks.ts';

const text = () => z.optional(z.string());
const recipient = z.object({ emailAddress: z.string().check(z.minLength(3), z.maxLength(320)), diagnosticCode: text() });

export const sesFeedbackSchema = z
  .object({
    eventType: text(),
    notificationType: text(),
    bounce: z.optional(
      z.object({
        bounceType: z.string(),
        bounceSubType: text(),
        bouncedRecipients: z.array(recipient).check(z.minLength(1)),
        feedbackId: text(),
      }),
    ),
    complaint: z.optional(
      z.object({
        complainedRecipients: z.array(recipient).check(z.minLength(1)),
        complaintFeedbackType: text(),
        feedbackId: text(),
      }),
    ),
    // Delivery events (the configuration set publishes them for the funnel): SES handed the mail to the recipient's server.
    delivery: z.optional(z.object({ timestamp: z.optional(z.iso.datetime({ offset: true })) })),
    mail: z.object({ messageId: z.string().check(z.minLength(1)), tags: z.optional(z.record(z.string(), z.array(z.string()))) }),
  })
  .check(z.refine((n) => n.eventType !== undefined || n.notificationType !== undefined, { message: 'eventType or notificationType is required' }));
export type SesFeedback = z.infer<typeof sesFeedbackSchema>;

export type FeedbackOutcome =
  | { status: 'suppressed'; reason: 'bounced' | 'complained'; recipients: number; invitationMarked: boolean }
  | { status: 'delivered'; invitationMarked: boolean }
  | { status: 'ignored'; reason: string };

export interface FeedbackDeps {
  suppressions: Pick<SuppressionStore, 'suppress'>;
  invitations: DeliveryFeedbackStore;
  now: () => Date;
  /** The funnel's marks (surveys/funnel/marks.ts): delivered, complained. */
  marks?: Pick<FunnelMarks, 'mark'>;
}

export async function handleEmailFeedback(notification: SesFeedback, deps: FeedbackDeps): Promise<FeedbackOutcome> {
  const kind = notification.eventType ?? notification.notificationType;
  const at = deps.now().toISOString();
  const source = `ses:${notification.mail.messageId}`;
  const invitationId = notification.mail.tags?.invitation?.[0];

  if (kind === 'Bounce' && notification.bounce) {
    const { bounceType, bounceSubType } = notification.bounce;
    if (bounceType !== 'Permanent') return { status: 'ignored', reason: `${bounceType.toLowerCase()} bounce: SES retried, the address stays` };
    for (const r of notification.bounce.bouncedRecipients) {
      await deps.suppressions.suppress({ channel: 'email', contact: r.emailAddress, reason: 'bounced', at, source });
    }
    const invitationMarked = invitationId
      ? await deps.invitations.markUndeliverable(invitationId, `bounced: ${bounceType}${bounceSubType ? ` (${bounceSubType})` : ''}`, at)
      : false;
    return { status: 'suppressed', reason: 'bounced', recipients: notification.bounce.bouncedRecipients.length, invitationMarked };
  }
  if (kind === 'Complaint' && notification.complaint) {
    for (const r of notification.complaint.complainedRecipients) {
      await deps.suppressions.suppress({ channel: 'email', contact: r.emailAddress, reason: 'complained', at, source });
    }
    const invitationMarked = invitationId && deps.marks ? await deps.marks.mark(invitationId, 'complainedAt', at) : false;
    return { status: 'suppressed', reason: 'complained', recipients: notification.complaint.complainedRecipients.length, invitationMarked };
  }
  if (kind === 'Delivery') {
    const deliveredAt = notification.delivery?.timestamp ? new Date(notification.delivery.timestamp).toISOString() : at;
    return { status: 'delivered', invitationMarked: invitationId && deps.marks ? await deps.marks.mark(invitationId, 'deliveredAt', deliveredAt) : false };
  }
  return { status: 'ignored', reason: `${kind} notifications change nothing` };
}
