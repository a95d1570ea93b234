/**
 * The outbound webhook signature (functions/adapters/outbound/http-sender.ts) is node:crypto's HMAC,
 * not the `standardwebhooks` package's: both must give the same `webhook-signature`, and the package's
 * verify (what a receiver runs) must accept ours.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signatureHeaders, standardWebhookSignature } from '../../functions/adapters/outbound/http-sender.ts';

describe('the Standard Webhooks signature of outbound deliveries', () => {
  it('is the one the standardwebhooks package computes, for random keys and bodies with non-ASCII text', () => {
    for (let i = 0; i < 20; i++) {
      // Prepare
      const secret = `whsec_${randomBytes(24 + i).toString('base64')}`;
      const body = JSON.stringify({ comment: `Przesyłka dotarła uszkodzona ${i} — 😞`, score: i % 11 });
      const timestamp = new Date(1_790_000_000_000 + i * 1_234_567);

      // Act
      const ours = standardWebhookSignature(secret, `msg_${i}`, timestamp, body);

      // Assess
      expect(ours).toBe(new Webhook(secret).sign(`msg_${i}`, timestamp, body));
    }
  });

  it('produces headers that the package verifies as a receiver would', () => {
    // Prepare
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const body = JSON.stringify({ event: 'answer.received', score: 3 });

    // Act
    const headers = signatureHeaders({ secret, messageId: 'msg_verify', timestamp: new Date() }, body);

    // Assess
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });
});
