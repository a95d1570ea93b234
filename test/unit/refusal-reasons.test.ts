/**
 * Refused input is kept with a reason a person can act on: every bad field named (path: message), the
 * whole reason bounded so a payload with thousands of bad fields still names the first ones.
 */
import { describe, expect, it } from 'vitest';
import { joinIssues, MAX_ISSUES_REASON_LENGTH } from '../../surveys/issues.ts';
import { receiveWebhook, type WebhookDeps } from '../../surveys/use-cases/receive-webhook.ts';

describe('joinIssues', () => {
  it('Should list every issue with its field when they fit', () => {
    // Act
    const reason = joinIssues(['detail.eventId: Invalid input', 'detail.customer.email: Invalid email address']);

    // Assess
    expect(reason).toBe('detail.eventId: Invalid input; detail.customer.email: Invalid email address');
  });

  it('Should keep whole issues within the limit and say how many were left out', () => {
    // Prepare
    const issues = Array.from({ length: 5_000 }, (_, i) => `items.${i}.id: Invalid input: expected string, received number`);

    // Act
    const reason = joinIssues(issues);

    // Assess
    expect(reason.length).toBeLessThanOrEqual(MAX_ISSUES_REASON_LENGTH);
    expect(reason).toMatch(/^items\.0\.id: Invalid input: expected string, received number; items\.1\.id: /);
    const listed = reason.split('; ').filter((part) => part.startsWith('items.')).length;
    expect(reason.endsWith(`; … and ${5_000 - listed} more`)).toBe(true);
    expect(reason).not.toMatch(/items\.\d+\.id: [^;]*…/); // no issue cut in the middle
  });

  it('Should cut one issue that is too long by itself, still saying how many follow', () => {
    // Act
    const reason = joinIssues([`order: ${'x'.repeat(200)}`, 'b: y'], 60);

    // Assess
    expect(reason.length).toBeLessThanOrEqual(60);
    expect(reason).toMatch(/^order: x+… \(and 1 more\)$/);
  });

  it('Should be empty for no issues', () => {
    // Act & Assess
    expect(joinIssues([])).toBe('');
  });
});

describe('receiveWebhook refusing the event it built', () => {
  it('Should name each bad field of an event completed from the stored profile', async () => {
    // Prepare: a Zendesk event subscription whose requester has a stored e-mail, but whose time is not one
    const deps = { store: { getProfile: async () => ({ email: 'ala@example.com' }) } } as unknown as WebhookDeps;
    const candidate = {
      source: 'zendesk:1',
      'detail-type': 'ticket.solved' as const,
      detail: { eventId: 'evt-1', occurredAt: 'yesterday', customer: { id: 'c-1' }, ticket: { id: '' } },
    };

    // Act
    const outcome = await receiveWebhook({ kind: 'needs-contact', candidate }, deps);

    // Assess
    expect(outcome.status).toBe('quarantine');
    const errors = outcome.status === 'quarantine' ? outcome.errors : [];
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^detail\.occurredAt: /), expect.stringMatching(/^detail\.ticket\.id: /)]));
  });
});
