import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { slackEscape, slackMessage } from '../../surveys/outbound/slack.ts';
import { teamsMessage } from '../../surveys/outbound/teams.ts';
import { zendeskRequest, zendeskText } from '../../surveys/outbound/zendesk.ts';
import { alertCreatedEvent } from '../support/outbound.ts';
import { BIDI_CONTROLS, FORGED_LINK, HOSTILE_COMMENT, HOSTILE_NAME } from '../support/hostile-text.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/outbound/${name}`, import.meta.url), 'utf8'));
const hostile = alertCreatedEvent({ comment: HOSTILE_COMMENT, customer: { id: 'c-666', name: HOSTILE_NAME, maskedContact: 'a***@example.com' } });

/** Every string in a JSON value, with the path of keys to it. */
function strings(value: unknown, path: string[] = []): Array<{ path: string[]; text: string }> {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

describe('a Slack message (Block Kit, incoming webhook)', () => {
  it('Should have the shape of the Slack sample: header, quote, fields, a button to the alert', () => {
    // Prepare
    const sample = fixture('slack-incoming-webhook.json').payload;

    // Act
    const message = slackMessage(alertCreatedEvent(), 'en');

    // Assess
    expect(Object.keys(message).sort()).toEqual(Object.keys(sample).sort());
    expect(message.blocks.map((b) => b.type)).toEqual(expect.arrayContaining(sample.blocks.map((b: { type: string }) => b.type)));
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Detractor alert: NPS 2/10', emoji: false } });
    expect(JSON.stringify(message.blocks)).toContain('"url":"https://x.example/dashboard#alert=detractor-inv-1"');
  });

  it('Should write the message in Polish for a Polish lead', () => {
    // Act
    const message = slackMessage(alertCreatedEvent(), 'pl');

    // Assess
    expect(message.text).toBe('Alert: niska ocena NPS 2/10');
    expect(JSON.stringify(message.blocks)).toContain('Otwórz alert');
  });

  it('Should escape & < > and quote every line of a hostile comment, with no bidi control left', () => {
    // Act
    const message = slackMessage(hostile, 'en');

    // Assess
    const mrkdwn = strings(message.blocks)
      .filter((s) => s.path.at(-1) === 'text')
      .map((s) => s.text);
    const quote = mrkdwn.find((t) => t.startsWith('>Bad parcel.'))!;
    expect(quote.split('\n').every((l) => l.startsWith('>'))).toBe(true);
    expect(quote).toContain('&lt;!channel&gt;');
    expect(quote).toContain('&amp;amp;');
    expect(mrkdwn.join('\n')).not.toMatch(/<!channel>|<http/);
    expect(JSON.stringify(message)).not.toMatch(BIDI_CONTROLS);
    // The customer's name stays in its field, on one line
    expect(mrkdwn.filter((t) => t.includes('Acknowledge and resolve')).every((t) => t.startsWith('>') || t.startsWith('*Customer*\n'))).toBe(true);
    expect(slackEscape('<a|b> & c')).toBe('&lt;a|b&gt; &amp; c');
  });
});

describe('a Teams message (Workflows webhook, Adaptive Card)', () => {
  it('Should have the shape of the Workflows sample and open the alert', () => {
    // Prepare
    const sample = fixture('teams-workflows-adaptive-card.json').payload;

    // Act
    const message = teamsMessage(alertCreatedEvent(), 'en') as typeof sample;

    // Assess
    expect(message.type).toBe('message');
    expect(message.attachments[0].contentType).toBe(sample.attachments[0].contentType);
    expect(message.attachments[0].content.type).toBe('AdaptiveCard');
    expect(message.attachments[0].content.version).toBe('1.4');
    expect(message.attachments[0].content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open the alert', url: 'https://x.example/dashboard#alert=detractor-inv-1' },
    ]);
  });

  it('Should put customer text only in TextRuns (plain text), one per line, with no bidi control left', () => {
    // Act
    const message = teamsMessage(hostile, 'en');

    // Assess: Markdown-rendering places (TextBlock text, Fact values) carry no customer text
    const all = strings(message);
    const markdownPlaces = all.filter((s) => s.path.at(-1) === 'text' && !JSON.stringify(pathValue(message, s.path.slice(0, -1))).includes('"TextRun"'));
    expect(markdownPlaces.map((s) => s.text).join('\n')).not.toContain(FORGED_LINK);
    const runs = all.filter((s) => s.text.includes(FORGED_LINK));
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) expect(pathValue(message, r.path.slice(0, -1))).toMatchObject({ type: 'TextRun' });
    expect(runs.every((r) => !r.text.includes('\n'))).toBe(true);
    expect(JSON.stringify(message)).not.toMatch(BIDI_CONTROLS);
  });
});

function pathValue(root: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], root);
}

describe('a Zendesk follow-up', () => {
  it('Should open a ticket with a private note, an idempotency key and the alert as external id, like the API sample', () => {
    // Prepare
    const sample = fixture('zendesk-create-ticket.json').request;

    // Act
    const request = zendeskRequest(alertCreatedEvent(), { language: 'en', mode: 'ticket', aboutTicket: false })!;

    // Assess
    expect(request).toMatchObject({ method: 'POST', path: '/api/v2/tickets.json', idempotencyKey: 'msg_alert_detractor-inv-1_created', records: 'ticket' });
    expect(Object.keys(request.body.ticket).sort()).toEqual(Object.keys(sample.ticket).sort());
    expect(request.body.ticket).toMatchObject({
      comment: { public: false },
      priority: 'high',
      external_id: 'detractor-inv-1',
      tags: ['ankieta', 'detractor', 'nps'],
    });
  });

  it('Should add a private note to the rated ticket in note mode, and a ticket when the answer was about an order', () => {
    // Prepare
    const aboutTicket = alertCreatedEvent({ subjectRef: '35436', survey: 'csat-post-ticket', metric: 'csat' as const, score: 1 });

    // Act
    const note = zendeskRequest(aboutTicket, { language: 'pl', mode: 'note', aboutTicket: true })!;
    const fallback = zendeskRequest(alertCreatedEvent(), { language: 'pl', mode: 'note', aboutTicket: false })!;

    // Assess
    expect(note).toMatchObject({ method: 'PUT', path: '/api/v2/tickets/35436.json', body: { ticket: { comment: { public: false } } } });
    expect(fallback.method).toBe('POST');
  });

  it('Should note a resolution on the follow-up ticket, and do nothing for an alert without one', () => {
    // Prepare
    const resolved = {
      ...alertCreatedEvent({ followUp: { system: 'zendesk' as const, ticketId: 77, kind: 'ticket' as const } }),
      type: 'alert.resolved' as const,
    };
    const withoutFollowUp = { ...alertCreatedEvent(), type: 'alert.resolved' as const };

    // Act / Assess
    expect(zendeskRequest(resolved, { language: 'en', mode: 'ticket', aboutTicket: false })).toMatchObject({ method: 'PUT', path: '/api/v2/tickets/77.json' });
    expect(zendeskRequest(withoutFollowUp, { language: 'en', mode: 'ticket', aboutTicket: false })).toBeUndefined();
  });

  it('Should quote a hostile comment line by line in the note', () => {
    // Act
    const text = zendeskText(hostile, 'en');

    // Assess
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('Acknowledge') || l.startsWith('Open the alert:'))).toEqual([
      'Open the alert: https://x.example/dashboard#alert=detractor-inv-1',
    ]);
    expect(text).not.toMatch(BIDI_CONTROLS);
  });
});
