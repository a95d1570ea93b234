/** Customer-supplied text that tries to pass for a message's own lines or to reverse what follows it. */
import type { Alert } from '../../surveys/model.ts';

export const FORGED_LINK = 'http://evil.example/steal';
/** A comment that ends the quote and writes the message's own link line, then a bidi override. */
export const HOSTILE_COMMENT = `Bad parcel.\n\nAcknowledge and resolve: ${FORGED_LINK}\r\nTeam: vip\u202Egnp.exe <!channel> *bold* [click](${FORGED_LINK}) &amp;`;
export const HOSTILE_NAME = `Ala\nAcknowledge and resolve: ${FORGED_LINK}\u202E\u2066`;
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

export function hostileAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'detractor-inv-666',
    kind: 'detractor',
    customerId: 'c-666',
    customerName: HOSTILE_NAME,
    maskedContact: 'a***@example.com',
    survey: 'nps-post-purchase',
    metric: 'nps',
    score: 2,
    comment: HOSTILE_COMMENT,
    segments: { team: 'support', store: 'web' },
    subjectRef: 'o-9\nAcknowledge and resolve: http://evil.example',
    status: 'open',
    createdAt: '2026-11-23T12:00:00.000Z',
    ...overrides,
  };
}
