import { describe, expect, it } from 'vitest';
import { mapPeopleColumns, mapPerson, parsePeopleJson } from '../../surveys/history-people.ts';

const now = new Date('2026-11-20T12:00:00Z');

describe('people from another tool', () => {
  it.each([
    ['[{"email":"a@example.com","unsubscribed_at":1437432834}]', 'unsubscribed', '2015-07-20T22:53:54.000Z'],
    ['[{"email":"a@example.com","bounced_at":1440621400}]', 'bounced', '2015-08-26T20:36:40.000Z'],
  ])('Should tell the kind of %s from its field names', (text, kind, at) => {
    // Act
    const result = parsePeopleJson(text, now);

    // Assess
    expect(result.kind).toBe(kind);
    expect(result.people).toEqual([{ ok: true, person: { email: 'a@example.com', reason: kind, at } }]);
  });

  it('Should refuse a file that does not say which kind it is', () => {
    // Act
    const act = () => parsePeopleJson('[{"email":"a@example.com"}]', now);

    // Assess
    expect(act).toThrow(/--people-kind unsubscribed\|bounced/);
  });

  it.each([
    [{}, 'no e-mail and no phone'],
    [{ email: 'nope' }, 'e-mail "nop…" is not an address'],
    [{ phone: '12' }, 'phone is not a mobile number in international format'],
    [{ email: 'a@example.com', at: 'last week' }, 'time "last week" is not a date we can read'],
  ])('Should refuse %j saying why', (values, reason) => {
    // Act
    const outcome = mapPerson(values, 'bounced', now);

    // Assess
    expect(outcome).toEqual({ ok: false, reason });
  });

  it('Should keep the phone in E.164 and the address lower-cased', () => {
    // Act
    const outcome = mapPerson({ email: ' Ala@Example.COM ', phone: '+48 600 100 200' }, 'unsubscribed', now);

    // Assess
    expect(outcome).toEqual({ ok: true, person: { email: 'ala@example.com', phone: '+48600100200', reason: 'unsubscribed', at: now.toISOString() } });
  });

  it('Should find the columns of a people CSV and refuse one without a contact column', () => {
    // Act
    const columns = mapPeopleColumns(['Person Email', 'Phone Number', 'Bounced At']);

    // Assess
    expect(columns).toEqual({ email: 0, phone: 1, at: 2, kind: 'bounced' });
    expect(() => mapPeopleColumns(['Name', 'Unsubscribed At'])).toThrow(/no e-mail and no phone column/);
  });
});
