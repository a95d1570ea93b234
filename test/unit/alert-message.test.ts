import { describe, expect, it } from 'vitest';
import type { Alert } from '../../surveys/model.ts';
import { alertMessage, maskEmail, maskPhone, reasonText, snsSubject } from '../../surveys/templates/alert.ts';

const churnAlert: Alert = {
  id: 'churn-risk-c-7-4',
  kind: 'churn-risk',
  customerId: 'c-7',
  customerName: 'Zażółć Gęślą',
  maskedContact: 'z***@example.com',
  riskScore: 72,
  riskBand: 'high',
  reasons: ['Refund (2026-11-20) (+20)', 'NPS fell from 9 to 3 (2026-11-21) (+25)'],
  segments: { team: 'returns', store: 'krakow' },
  status: 'open',
  createdAt: '2026-11-23T12:00:00.000Z',
};

describe('masking a contact', () => {
  it.each([
    ['ala@example.com', 'a***@example.com'],
    ['Jan.Kowalski+promo@shop.example.pl', 'J***@shop.example.pl'],
    ['broken-address', '***'],
  ])('Should show %s as %s', (email, masked) => {
    // Act / Assess
    expect(maskEmail(email)).toBe(masked);
  });

  it.each([
    ['+48600100200', '+48 *** *** 200'],
    ['+14155550123', '+1 *** *** 123'],
    ['+420601234567', '+420 *** *** 567'],
    ['+447700900123', '+44 *** *** 123'],
    ['+123', '***'],
  ])('Should show %s as %s: the country and the last three digits only', (phone, masked) => {
    // Act / Assess
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('a churn-risk alert message', () => {
  it('Should give the risk, the reasons, the customer and the link, and route by team and store', () => {
    // Act
    const { subject, body, attributes } = alertMessage(churnAlert, { dashboardUrl: 'https://x.example/dashboard' });

    // Assess
    expect(subject).toBe('[ankieta] Churn risk 72/100: Zazolc Gesla');
    expect(body.split('\n')).toEqual([
      'A customer shows signs of leaving.',
      '',
      'Churn risk: 72/100 (high)',
      'Reasons:',
      '- Refund (2026-11-20) (+20)',
      '- NPS fell from 9 to 3 (2026-11-21) (+25)',
      '',
      'Customer: Zażółć Gęślą (c-7)',
      'Contact: z***@example.com',
      'Team: returns',
      'Store: krakow',
      '',
      'Acknowledge and resolve: https://x.example/dashboard#alert=churn-risk-c-7-4',
    ]);
    expect(attributes).toEqual({ kind: 'churn-risk', team: 'returns', store: 'krakow', severity: 'high' });
  });

  it('Should read in Polish for a Polish-speaking lead', () => {
    // Act
    const { subject, body } = alertMessage(churnAlert, { dashboardUrl: 'https://x.example/dashboard', language: 'pl' });

    // Assess
    expect(subject).toBe('[ankieta] Ryzyko odejscia 72/100: Zazolc Gesla');
    expect(body).toContain('Ryzyko odejścia: 72/100 (wysokie)');
    expect(body).toContain('Zespół: returns');
    expect(body).toContain('Przyjmij i zamknij: https://x.example/dashboard#alert=churn-risk-c-7-4');
  });
});

describe('SNS subjects', () => {
  it('Should be printable ASCII on one line and under 100 characters', () => {
    // Act
    const subject = snsSubject(`Łódź „quoted” ${'x'.repeat(200)}\nsecond line`);

    // Assess
    expect(subject).toMatch(/^[\x20-\x7E]+$/);
    expect(subject.length).toBeLessThan(100);
    expect(subject.startsWith('Lodz "quoted" x')).toBe(true);
  });
});

describe('churn-risk reasons', () => {
  it.each([
    ['en', 'Comment mentions leaving: "rezygnuj" (2026-11-20) (+35)'],
    ['pl', 'Komentarz wspomina o odejściu: „rezygnuj” (2026-11-20) (+35)'],
  ] as const)('Should read in %s', (language, text) => {
    // Act / Assess
    expect(
      reasonText({ signal: 'cancellationWords', points: 35, at: '2026-11-20T10:00:00.000Z', detail: { phrase: 'rezygnuj', date: '2026-11-20' } }, language),
    ).toBe(text);
  });
});
