/**
 * The cost model (bench/cost-model.ts): SES's delivery, bounce and complaint events reach emailFeedback through an
 * SNS topic, and SES bills them at SNS's publish rate, beside the detractor alerts' publishes; the send sweep's lines,
 * measured once per message, are shared among the messages of a run once a shop sends more than one a minute.
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

describe('the send sweep’s lines in the cost model', () => {
  const sweepBytes = 1000;
  const m: Record<string, number> = { ...measuredInputs(), sweepLogBytesSendSide: sweepBytes };
  /** Log bytes per 10,000 surveys without the cold starts' lines, which also change with the traffic. */
  const warmLogBytes = (traffic: number | 'trickle') => {
    const r = costOf('email', 'eu-central-1', m, traffic);
    return r.logBytes - r.coldStarts * m.coldStartLogBytes!;
  };

  it('counts them once per message while each message goes out in a run of its own, and shares them beyond', () => {
    // Act: a trickle; 10,000 a month (a message every 4 minutes); about 10 messages a minute
    const trickle = warmLogBytes('trickle');
    const small = warmLogBytes(10_000);
    const busy = warmLogBytes(10 * 43_833.6);

    // Assess
    expect(small).toBeCloseTo(trickle, 0);
    expect(trickle - busy).toBeCloseTo(ASSUMPTIONS.surveys * sweepBytes * (1 - 1 / 10), 0);
  });
});
