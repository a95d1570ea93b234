import { mockClient } from 'aws-sdk-client-mock';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { createLinkSigner } from '../../surveys/links.ts';
import type { Invitation } from '../../surveys/model.ts';
import { SendError } from '../../surveys/ports.ts';
import { renderUnsubscribePage } from '../../surveys/templates/unsubscribe-page.ts';
import { handleEmailFeedback, sesFeedbackSchema } from '../../surveys/use-cases/suppress-contact.ts';
import { openUnsubscribe, unsubscribe, type UnsubscribeDeps } from '../../surveys/use-cases/unsubscribe.ts';
import { SesEmailSender } from '../../functions/adapters/ses/ses-email-sender.ts';
import { SnsSmsSender } from '../../functions/adapters/sns/sns-publishers.ts';

const NOW = new Date('2026-11-21T12:00:00.000Z');

// ---------------------------------------------------------------------------------------------
// SES bounces and complaints (the configuration set's event publishing format)
// ---------------------------------------------------------------------------------------------

function sesEvent(kind: 'Bounce' | 'Complaint' | 'Delivery', extra: Record<string, unknown>) {
  return sesFeedbackSchema.parse({
    eventType: kind,
    ...extra,
    mail: {
      timestamp: '2026-11-21T11:59:00.000Z',
      source: 'surveys@shop.example',
      messageId: '0100019a-ses-message',
      destination: ['john@example.com'],
      tags: { 'ses:configuration-set': ['ankieta'], invitation: ['CCCCCCCCCCCCCCCCCCCCCC'] },
    },
  });
}

function feedbackDeps() {
  const suppressed: Array<{ contact?: string; reason: string; source: string }> = [];
  const marked: Array<{ id: string; reason: string }> = [];
  return {
    suppressed,
    marked,
    deps: {
      suppressions: {
        suppress: async (e: { contact?: string; reason: string; source: string }) =>
          void suppressed.push({ contact: e.contact, reason: e.reason, source: e.source }),
      },
      invitations: { markUndeliverable: async (id: string, reason: string) => (marked.push({ id, reason }), true) },
      now: () => NOW,
    },
  };
}

describe('SES feedback', () => {
  it('Should suppress a permanently bounced address and mark its invitation failed with the bounce type', async () => {
    // Prepare
    const { suppressed, marked, deps } = feedbackDeps();
    const event = sesEvent('Bounce', {
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: 'john@example.com', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      },
    });

    // Act
    const outcome = await handleEmailFeedback(event, deps);

    // Assess
    expect(outcome).toEqual({ status: 'suppressed', reason: 'bounced', recipients: 1, invitationMarked: true });
    expect(suppressed).toEqual([{ contact: 'john@example.com', reason: 'bounced', source: 'ses:0100019a-ses-message' }]);
    expect(marked).toEqual([{ id: 'CCCCCCCCCCCCCCCCCCCCCC', reason: 'bounced: Permanent (General)' }]);
  });

  it.each(['Transient', 'Undetermined'])('Should suppress nobody after a %s bounce', async (bounceType) => {
    // Prepare
    const { suppressed, marked, deps } = feedbackDeps();
    const event = sesEvent('Bounce', { bounce: { bounceType, bouncedRecipients: [{ emailAddress: 'john@example.com' }] } });

    // Act
    const outcome = await handleEmailFeedback(event, deps);

    // Assess
    expect(outcome.status).toBe('ignored');
    expect(suppressed).toEqual([]);
    expect(marked).toEqual([]);
  });

  it('Should suppress every address that complained', async () => {
    // Prepare
    const { suppressed, deps } = feedbackDeps();
    const event = sesEvent('Complaint', {
      complaint: { complainedRecipients: [{ emailAddress: 'a@example.com' }, { emailAddress: 'b@example.com' }], complaintFeedbackType: 'abuse' },
    });

    // Act
    const outcome = await handleEmailFeedback(event, deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'suppressed', reason: 'complained', recipients: 2 });
    expect(suppressed.map((s) => [s.contact, s.reason])).toEqual([
      ['a@example.com', 'complained'],
      ['b@example.com', 'complained'],
    ]);
  });

  it('Should read the identity-notification format too (notificationType)', async () => {
    // Prepare
    const { suppressed, deps } = feedbackDeps();
    const event = sesFeedbackSchema.parse({
      notificationType: 'Bounce',
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'x@example.com' }] },
      mail: { messageId: 'm-1' },
    });

    // Act
    const outcome = await handleEmailFeedback(event, deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'suppressed', invitationMarked: false });
    expect(suppressed).toHaveLength(1);
  });

  it('Should suppress nobody for a delivery event and mark the survey delivered for the funnel', async () => {
    // Prepare
    const { suppressed, deps } = feedbackDeps();
    const marks: Array<[string, string, string]> = [];
    const mark = async (id: string, field: string, at: string) => (marks.push([id, field, at]), true);

    // Act
    const outcome = await handleEmailFeedback(sesEvent('Delivery', { delivery: { timestamp: '2026-11-21T11:59:03.000Z' } }), { ...deps, marks: { mark } });

    // Assess
    expect(outcome).toEqual({ status: 'delivered', invitationMarked: true });
    expect(marks).toEqual([['CCCCCCCCCCCCCCCCCCCCCC', 'deliveredAt', '2026-11-21T11:59:03.000Z']]);
    expect(suppressed).toEqual([]);
  });

  it('Should mark a complaint on the survey it came from', async () => {
    // Prepare
    const { deps } = feedbackDeps();
    const marks: Array<[string, string]> = [];
    const mark = async (id: string, field: string) => (marks.push([id, field]), true);
    const event = sesEvent('Complaint', { complaint: { complainedRecipients: [{ emailAddress: 'john@example.com' }] } });

    // Act
    const outcome = await handleEmailFeedback(event, { ...deps, marks: { mark } });

    // Assess
    expect(outcome).toMatchObject({ status: 'suppressed', reason: 'complained', invitationMarked: true });
    expect(marks).toEqual([['CCCCCCCCCCCCCCCCCCCCCC', 'complainedAt']]);
  });

  it('Should refuse a notification with neither eventType nor notificationType, naming it', () => {
    // Act
    const parsed = sesFeedbackSchema.safeParse({ mail: { messageId: 'm' } });

    // Assess
    expect(parsed.success ? '' : parsed.error.issues[0]!.message).toContain('eventType or notificationType');
  });
});

// ---------------------------------------------------------------------------------------------
// Unsubscribe: GET asks, POST unsubscribes exactly the address the survey went to
// ---------------------------------------------------------------------------------------------

const signer = createLinkSigner('z'.repeat(40));
const INVITATION_ID = 'DDDDDDDDDDDDDDDDDDDDDD';

function unsubscribeDeps(invitation: Partial<Invitation> | undefined) {
  const suppressed: Array<Record<string, unknown>> = [];
  const stored: Invitation | undefined = invitation && {
    id: INVITATION_ID,
    surveyId: 'nps-post-purchase',
    metric: 'nps',
    channel: 'email',
    customerId: 'c-1',
    locale: 'pl',
    eventId: 'e',
    eventType: 'order.delivered',
    subjectRef: 'o-1',
    segments: {},
    status: 'sent',
    createdAt: '2026-10-01T10:00:00.000Z',
    sendAt: '2026-10-04T10:00:00.000Z',
    sentAt: '2026-10-04T10:00:00.000Z',
    expiresAt: '2026-11-03T10:00:00.000Z', // closed: unsubscribe still works
    ...invitation,
  };
  const deps: UnsubscribeDeps = {
    links: signer,
    invitations: { getInvitation: async (id) => (id === INVITATION_ID ? stored : undefined) },
    profiles: { getProfile: async () => ({ customerId: 'c-1', email: 'new-address@example.com', phone: '+48600100200', locale: 'pl', version: 2 }) },
    suppressions: { suppress: async (e) => void suppressed.push({ ...e }) },
    now: () => NOW,
  };
  return { suppressed, deps };
}

describe('unsubscribe', () => {
  const token = signer.sign(INVITATION_ID);

  it('Should only show the confirmation on GET', async () => {
    // Prepare
    const { suppressed, deps } = unsubscribeDeps({ contactHash: 'h' });

    // Act
    const outcome = await openUnsubscribe(token, deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'confirm', channel: 'email' });
    expect(suppressed).toEqual([]);
  });

  it('Should suppress exactly the address the survey went to (its hash), even after the survey closed', async () => {
    // Prepare
    const { suppressed, deps } = unsubscribeDeps({ contactHash: 'sha256-of-old-address' });

    // Act
    const outcome = await unsubscribe(token, deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'unsubscribed', channel: 'email' });
    expect(suppressed).toEqual([
      { channel: 'email', contactHash: 'sha256-of-old-address', reason: 'unsubscribed', at: NOW.toISOString(), source: `unsubscribe:${INVITATION_ID}` },
    ]);
  });

  it('Should fall back to the profile contact of the channel for a survey sent before hashes were kept', async () => {
    // Prepare
    const { suppressed, deps } = unsubscribeDeps({ channel: 'sms' });

    // Act
    await unsubscribe(token, deps);

    // Assess
    expect(suppressed[0]).toMatchObject({ channel: 'sms', contact: '+48600100200' });
  });

  it.each([
    { name: 'a forged token', token: `${INVITATION_ID}.AAAAAAAAAAAAAAAAAAAAAA`, invitation: { contactHash: 'h' } },
    { name: 'a survey never sent', token: signer.sign(INVITATION_ID), invitation: { status: 'skipped' as const, sentAt: undefined } },
    { name: 'an erased invitation', token: signer.sign(INVITATION_ID), invitation: undefined },
  ])('Should refuse $name and suppress nothing', async ({ token: t, invitation }) => {
    // Prepare
    const { suppressed, deps } = unsubscribeDeps(invitation);

    // Act
    const outcome = await unsubscribe(t, deps);

    // Assess
    expect(outcome).toEqual({ status: 'invalid-link' });
    expect(suppressed).toEqual([]);
  });
});

describe('the unsubscribe page', () => {
  it.each([
    { language: 'en' as const, channel: 'email' as const, texts: ['Unsubscribe from surveys', 'by e-mail', '>Unsubscribe</button>'] },
    { language: 'pl' as const, channel: 'email' as const, texts: ['Rezygnacja z ankiet', 'przez e-mail', '>Wypisz mnie</button>'] },
    { language: 'pl' as const, channel: 'sms' as const, texts: ['przez SMS'] },
  ])('Should ask in $language, with a button that posts the one-click body to the same URL', ({ language, channel, texts }) => {
    // Act
    const page = renderUnsubscribePage({ language, brand: 'Sklep <Ala>', channel, token: 'tok.en', nonce: 'n0nce', done: false });

    // Assess
    expect(page).toContain(`<html lang="${language}"`);
    for (const text of texts) expect(page).toContain(text);
    expect(page).toContain('<form method="post" action="/u/tok.en">');
    expect(page).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(page).toContain('<style nonce="n0nce">');
    expect(page).toContain('Sklep &lt;Ala&gt;');
    expect(page).not.toContain('<script');
  });

  it.each([
    { language: 'en' as const, text: 'You are unsubscribed' },
    { language: 'pl' as const, text: 'Wypisano Cię z ankiet' },
  ])('Should confirm in $language once unsubscribed, without a form', ({ language, text }) => {
    // Act
    const page = renderUnsubscribePage({ language, brand: 'Shop', channel: 'email', token: 't', nonce: 'n', done: true });

    // Assess
    expect(page).toContain(text);
    expect(page).toContain('role="status"');
    expect(page).not.toContain('<form');
  });
});

// ---------------------------------------------------------------------------------------------
// Provider errors → throttled / permanent / transient (SES v2 and SNS, with the SDK mocked)
// ---------------------------------------------------------------------------------------------

const awsError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name} happened`), { name, $metadata: {}, ...extra });

describe('send errors', () => {
  it.each([
    { name: 'TooManyRequestsException', throttled: true, permanent: false },
    { name: 'LimitExceededException', throttled: true, permanent: false },
    { name: 'ThrottlingException', throttled: true, permanent: false },
    { name: 'MessageRejected', throttled: false, permanent: true },
    { name: 'AccountSuspendedException', throttled: false, permanent: true },
    { name: 'InternalFailure', throttled: false, permanent: false },
  ])('Should classify SES $name as throttled=$throttled, permanent=$permanent', async ({ name, throttled, permanent }) => {
    // Prepare
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).rejects(awsError(name));
    const sender = new SesEmailSender(new SESv2Client({ region: 'eu-central-1' }), 'surveys@shop.example', 'cs');

    // Act
    const error = await sender.send({ to: 'a@example.com', subject: 's', html: 'h', text: 't', headers: {} }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ throttled, permanent, message: expect.stringContaining(`SES ${name}`) });
    ses.restore();
  });

  it.each([
    { name: 'ThrottledException', throttled: true, permanent: false },
    { name: 'KMSThrottlingException', throttled: true, permanent: false },
    { name: 'InvalidParameterException', throttled: false, permanent: true },
    { name: 'SomethingNew', throttled: true, permanent: false, sdk: { $retryable: { throttling: true } } },
    { name: 'InternalErrorException', throttled: false, permanent: false },
  ])('Should classify SNS $name as throttled=$throttled, permanent=$permanent', async ({ name, throttled, permanent, sdk }) => {
    // Prepare
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).rejects(awsError(name, sdk));
    const sender = new SnsSmsSender(new SNSClient({ region: 'eu-central-1' }));

    // Act
    const error = await sender.send({ to: '+48600100200', body: 'x' }).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ throttled, permanent });
    sns.restore();
  });

  it('Should tag the SES message with its invitation, so bounces find it', async () => {
    // Prepare
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const sender = new SesEmailSender(new SESv2Client({ region: 'eu-central-1' }), 'surveys@shop.example', 'cs');

    // Act
    await sender.send({ to: 'a@example.com', subject: 's', html: 'h', text: 't', headers: { 'List-Unsubscribe': '<u>' }, tags: { invitation: 'inv-1' } });

    // Assess
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toMatchObject({
      ConfigurationSetName: 'cs',
      EmailTags: [{ Name: 'invitation', Value: 'inv-1' }],
      Content: { Simple: { Headers: [{ Name: 'List-Unsubscribe', Value: '<u>' }] } },
    });
    ses.restore();
  });
});
