import { describe, expect, it } from 'vitest';
import { createLinkSigner } from '../../surveys/links.ts';
import type { Invitation } from '../../surveys/model.ts';
import { InMemoryContacts, InMemoryResponseStore } from '../support/in-memory-stores.ts';
import { handleSmsReply, inboundSmsSchema, normalizePhone, readReply, type InboundSms } from '../../surveys/use-cases/sms-reply.ts';

describe('reading a reply', () => {
  it.each([
    // STOP-like words, English and Polish, in any case, with or without diacritics and punctuation
    ['STOP', { kind: 'stop' }],
    ['stop', { kind: 'stop' }],
    ['Stop.', { kind: 'stop' }],
    ['STOP ALL', { kind: 'stop' }],
    ['stopall', { kind: 'stop' }],
    ['UNSUBSCRIBE', { kind: 'stop' }],
    ['cancel', { kind: 'stop' }],
    ['opt-out', { kind: 'stop' }],
    ['NIE', { kind: 'stop' }],
    ['nie!', { kind: 'stop' }],
    ['REZYGNUJĘ', { kind: 'stop' }],
    ['rezygnuje', { kind: 'stop' }],
    ['Rezygnacja', { kind: 'stop' }],
    ['WYPISZ', { kind: 'stop' }],
    ['wypisz mnie', { kind: 'stop' }],
    ['Nie wysyłaj', { kind: 'stop' }],
    // numbers, with an optional comment
    ['5', { kind: 'score', score: 5 }],
    [' 10 ', { kind: 'score', score: 10 }],
    ['0', { kind: 'score', score: 0 }],
    ['10/10', { kind: 'score', score: 10 }],
    ['4 - szybko i miło', { kind: 'score', score: 4, comment: 'szybko i miło' }],
    ['3. Too slow', { kind: 'score', score: 3, comment: 'Too slow' }],
    ['9!', { kind: 'score', score: 9 }],
    ['7\nGreat support', { kind: 'score', score: 7, comment: 'Great support' }],
    ['12', { kind: 'score', score: 12 }], // out of every range: the survey decides
    // anything else is a comment
    ['Nie wiem', { kind: 'comment', text: 'Nie wiem' }],
    ['stop sending me', { kind: 'comment', text: 'stop sending me' }],
    ['4.5', { kind: 'comment', text: '4.5' }],
    ['😀', { kind: 'comment', text: '😀' }],
    ['', { kind: 'comment', text: '' }],
  ])('Should read %j as %j', (body, expected) => {
    // Act / Assess
    expect(readReply(body)).toEqual(expected);
  });

  it('Should honour the keyword AWS matched (its own opt-out list), whatever the body', () => {
    // Act / Assess
    expect(readReply('please', 'STOP')).toEqual({ kind: 'stop' });
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+48600100200', '+48600100200'],
    ['+48 600 100 200', '+48600100200'],
    ['600100200', undefined], // no country: cannot be matched safely
    ['+48221234567', undefined], // a landline never sent an SMS reply
    ['not a number', undefined],
  ])('Should read %s as %s', (raw, expected) => {
    // Act / Assess
    expect(normalizePhone(raw)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------

const signer = createLinkSigner('y'.repeat(40));
const INVITATION_ID = 'BBBBBBBBBBBBBBBBBBBBBB';

const NOW = new Date('2026-11-21T12:00:00.000Z');

function setup(invitation: Partial<Invitation> = {}) {
  const responses = new InMemoryResponseStore();
  responses.invitations.set(INVITATION_ID, {
    id: INVITATION_ID,
    surveyId: 'csat-post-ticket',
    metric: 'csat',
    channel: 'sms',
    customerId: 'c-1',
    locale: 'pl',
    eventId: 'e',
    eventType: 'ticket.solved',
    subjectRef: 't-1',
    segments: { survey: 'csat-post-ticket', channel: 'sms' },
    status: 'sent',
    createdAt: '2026-11-20T12:00:00.000Z',
    sendAt: '2026-11-21T11:00:00.000Z',
    sentAt: '2026-11-21T11:00:00.000Z',
    expiresAt: '2026-12-05T11:00:00.000Z',
    ...invitation,
  });
  const contacts = new InMemoryContacts();
  contacts.threads.set('+48600100200', INVITATION_ID);
  return { responses, contacts, deps: { contacts, responses, links: signer, now: () => NOW } };
}

const sms = (messageBody: string, overrides: Partial<InboundSms> = {}): InboundSms => ({
  originationNumber: '+48600100200',
  destinationNumber: '+48500000000',
  messageKeyword: '',
  messageBody,
  inboundMessageId: 'in-1',
  ...overrides,
});

describe('handling a reply', () => {
  it('Should record a number in range as the answer, counted like a click, and the words after it as the comment', async () => {
    // Prepare
    const { responses, deps } = setup();

    // Act
    const outcome = await handleSmsReply(sms('2 za długo czekałem'), deps);

    // Assess
    expect(outcome).toEqual({ status: 'answered', invitationId: INVITATION_ID, score: 2, commented: true });
    expect(responses.responses.get(INVITATION_ID)).toMatchObject({ score: 2, comment: 'za długo czekałem', status: 'final', segments: { channel: 'sms' } });
  });

  it('Should treat a second number within the edit window as a change of mind', async () => {
    // Prepare
    const { responses, deps } = setup();
    await handleSmsReply(sms('2'), deps);

    // Act
    const outcome = await handleSmsReply(sms('4', { inboundMessageId: 'in-2' }), deps);

    // Assess
    expect(outcome).toMatchObject({ status: 'answered', score: 4 });
    expect(responses.responses.get(INVITATION_ID)).toMatchObject({ score: 4, version: 2 });
  });

  it('Should keep a number outside the scale with the reason, answering nothing', async () => {
    // Prepare
    const { responses, contacts, deps } = setup();

    // Act
    const outcome = await handleSmsReply(sms('9'), deps);

    // Assess
    expect(outcome).toEqual({ status: 'kept', invitationId: INVITATION_ID, reason: '9 is outside the csat scale' });
    expect(responses.responses.size).toBe(0);
    expect(contacts.kept).toEqual([{ invitationId: INVITATION_ID, body: '9', reason: '9 is outside the csat scale' }]);
  });

  it('Should add words sent after the answer as its comment', async () => {
    // Prepare
    const { responses, deps } = setup();
    await handleSmsReply(sms('5'), deps);

    // Act
    const outcome = await handleSmsReply(sms('Dziękuję, wszystko działa', { inboundMessageId: 'in-2' }), deps);

    // Assess
    expect(outcome).toEqual({ status: 'commented', invitationId: INVITATION_ID });
    expect(responses.responses.get(INVITATION_ID)).toMatchObject({ score: 5, comment: 'Dziękuję, wszystko działa' });
  });

  it('Should keep words sent before any answer as a comment with the reason', async () => {
    // Prepare
    const { contacts, deps } = setup();

    // Act
    const outcome = await handleSmsReply(sms('Kto pyta?'), deps);

    // Assess
    expect(outcome).toEqual({ status: 'kept', invitationId: INVITATION_ID, reason: 'a comment before any answer' });
    expect(contacts.kept[0]).toMatchObject({ body: 'Kto pyta?' });
  });

  it.each(['STOP', 'NIE', 'Rezygnuję'])('Should put the number on the suppression list for %s, whatever the survey', async (word) => {
    // Prepare
    const { responses, contacts, deps } = setup();

    // Act
    const outcome = await handleSmsReply(sms(word), deps);

    // Assess
    expect(outcome).toEqual({ status: 'suppressed' });
    expect(contacts.suppressed).toEqual([{ channel: 'sms', contact: '+48600100200', reason: 'stop' }]);
    expect(responses.responses.size).toBe(0);
  });

  it.each([
    { name: 'a number no survey was sent to', overrides: { originationNumber: '+48600999888' }, reason: 'no SMS survey was sent to this number' },
    { name: 'a sender that is not a phone number', overrides: { originationNumber: 'INFO' }, reason: 'the sender is not a valid phone number' },
  ])('Should keep a reply from $name', async ({ overrides, reason }) => {
    // Prepare
    const { deps } = setup();

    // Act
    const outcome = await handleSmsReply(sms('5', overrides), deps);

    // Assess
    expect(outcome).toEqual({ status: 'kept', reason });
  });

  it('Should keep an answer to a closed survey with the reason', async () => {
    // Prepare
    const { responses, deps } = setup({ expiresAt: '2026-11-21T11:30:00.000Z' });

    // Act
    const outcome = await handleSmsReply(sms('5'), deps);

    // Assess
    expect(outcome).toEqual({ status: 'kept', invitationId: INVITATION_ID, reason: 'the answer was not recorded: expired' });
    expect(responses.responses.size).toBe(0);
  });

  it('Should accept the payload AWS End User Messaging SMS publishes, and name the field of a bad one', () => {
    // Prepare
    const published = {
      originationNumber: '+14255550182',
      destinationNumber: '+12125550101',
      messageKeyword: 'JOIN',
      messageBody: 'EXAMPLE',
      inboundMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
      previousPublishedMessageId: 'wJ0ZcFFUFnuFj9vOSP5gxF5XhVo0tD6mDY8chCZ1',
    };

    // Act
    const good = inboundSmsSchema.safeParse(published);
    const bad = inboundSmsSchema.safeParse({ ...published, inboundMessageId: undefined });

    // Assess
    expect(good.success).toBe(true);
    expect(bad.success ? '' : bad.error.issues[0]!.path.join('.')).toBe('inboundMessageId');
  });
});
