/**
 * The cost model's SNS line (bench/cost-model.ts): SES's delivery, bounce and complaint events reach emailFeedback
 * through an SNS topic, and SES bills them at SNS's publish rate, beside the detractor alerts' publishes.
 */
import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, costOf, measuredInputs } from '../../bench/cost-model.ts';

const snsPublishes = (channel: 'email' | 'sms', m: Record<string, number>) =>
  costOf(channel, 'eu-central-1', m, ASSUMPTIONS.busyShopPerMonth).lines.find((l) => l.item.startsWith('SNS publishes'))!.units;

describe('SNS publishes in the cost model', () => {
  it('counts one publish per SES event emailFeedback receives, for e-mail only', () => {
    // Prepare: the measured inputs, with one more SES event per e-mail (a bounce after the delivery, say)
    const m = measuredInputs();
    const twice = { ...m, callsSendSide_emailFeedback: m.callsSendSide_emailFeedback! + 1 };

    // Act
    const email = snsPublishes('email', m);
    const emailTwice = snsPublishes('email', twice);
    const sms = snsPublishes('sms', twice);

    // Assess: each more event per e-mail is one more publish per survey; SMS pays the alerts' publishes alone
    expect(emailTwice - email).toBeCloseTo(ASSUMPTIONS.surveys);
    expect(email - sms).toBeCloseTo(ASSUMPTIONS.surveys * m.callsSendSide_emailFeedback!);
  });
});
