import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_EVIDENCE_RULES,
  MAX_USER_AGENT_LENGTH,
  SCANNER_AGENTS,
  judgeDwell,
  evidenceRank,
  isInScannerBurst,
  isScannerUserAgent,
  isTaintedByBurst,
  judgeEvidence,
  KNOWN_SCANNER_NETWORKS,
  networkList,
  normalizeAddress,
  type Evidence,
  type EvidenceKind,
  type LinkActivity,
} from '../../surveys/human-evidence.ts';
import type { Invitation } from '../../surveys/model.ts';

const SENT_AT = Date.parse('2026-11-23T12:00:00.000Z');
const MINUTE = 60_000;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

const invitation = { id: 'inv', sentAt: new Date(SENT_AT).toISOString() } as Invitation;
const person: Evidence = { kind: 'interaction', userAgent: CHROME, sourceIp: '83.12.34.56' };
const at = (ms: number) => new Date(SENT_AT + ms);
const opens = (entries: Array<[score: number, msAfterSend: number]>): LinkActivity => ({
  opens: Object.fromEntries(entries.map(([s, ms]) => [s, SENT_AT + ms])),
});

describe('user agents', () => {
  it.each([
    ['desktop Chrome', CHROME],
    [
      'iPhone Safari',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    ],
    ['a CUBOT X30 phone', 'Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36'],
    [
      'a CUBOT KINGKONG 5 Pro phone',
      'Mozilla/5.0 (Linux; Android 11; CUBOT KINGKONG 5 Pro Build/RP1A.200720.011) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36',
    ],
    ['a CUBOT_NOTE_20 phone', 'Mozilla/5.0 (Linux; Android 10; CUBOT_NOTE_20) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Mobile Safari/537.36'],
    [
      'Samsung Internet',
      'Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
    ],
    ['Android Firefox', 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0'],
    ['Edge', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51'],
    [
      'Robotics-named Windows build',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; RobotStudio) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    ],
  ])('Should take %s for a person', (_name, ua) => {
    expect(isScannerUserAgent(ua)).toBe(false);
  });

  it.each([
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
    ['Slackbot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
    ['TelegramBot', 'TelegramBot (like TwitterBot)'],
    ['Discordbot', 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)'],
    ['a bare "bot"', 'bot'],
    ['facebookexternalhit', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    ['BingPreview', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) BingPreview/1.0b'],
    ['Safe Links', 'Mozilla/5.0 SafeLinks/1.0'],
    ['Office link check', 'Microsoft Office Existence Discovery'],
    ['headless Chrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36'],
    ['curl', 'curl/8.4.0'],
    ['python-requests', 'python-requests/2.31.0'],
    ['Go', 'Go-http-client/1.1'],
    ['okhttp', 'okhttp/4.12.0'],
    ['Java', 'Java/17.0.2'],
    ['Node fetch', 'node'],
    ['a lone Mozilla token', 'Mozilla/5.0'],
    ['Postman', 'PostmanRuntime/7.36.0'],
    ['no user agent', undefined],
    ['an empty user agent', '   '],
  ])('Should take %s for a scanner', (_name, ua) => {
    expect(isScannerUserAgent(ua)).toBe(true);
  });
});

describe('user agents crafted to be slow', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('Should judge a 10 KB user agent a scanner without running any pattern over more than the cap', () => {
    // Prepare: letters that "[a-z]*bot" would scan again from every position (quadratic)
    const test = vi.spyOn(RegExp.prototype, 'test');
    const crafted = `Mozilla/5.0 ${'a'.repeat(10_000)}`;

    // Act
    const scanner = isScannerUserAgent(crafted);

    // Assess
    expect(scanner).toBe(true);
    const lengths = test.mock.calls.map(([input]) => String(input).length);
    expect(Math.max(0, ...lengths)).toBeLessThanOrEqual(MAX_USER_AGENT_LENGTH);
  });

  it('Should still judge a user agent of exactly the cap by its patterns', () => {
    // Prepare
    const padded = `${CHROME} ${'x'.repeat(MAX_USER_AGENT_LENGTH - CHROME.length - 1)}`;

    // Act / Assess
    expect(padded).toHaveLength(MAX_USER_AGENT_LENGTH);
    expect(isScannerUserAgent(padded)).toBe(false);
  });

  it.each(SCANNER_AGENTS.map((pattern) => [pattern.source]))(
    'Should keep the pattern %s linear: it starts with no repeated class that a search re-reads from every position',
    (source) => {
      // A leading unanchored quantified atom ("[a-z]*", "\\w+", ".*") makes each start position re-scan the run.
      expect(source).not.toMatch(/^(?:\[[^\]]*\]|\\.|[^^(\\[])[*+{]/);
    },
  );
});

describe('dwell answers', () => {
  const sentLongAgo = { id: 'inv', sentAt: new Date(SENT_AT - 10 * MINUTE).toISOString() } as Invitation;
  const reader: Evidence = { kind: 'dwell', userAgent: CHROME, sourceIp: '83.12.34.56', openedAt: SENT_AT };
  const activity = (extra: Array<[number, number]> = []): LinkActivity => ({
    opens: Object.fromEntries([[7, SENT_AT], ...extra.map(([s, ms]) => [s, SENT_AT + ms])]),
    lastOpenAt: Math.max(SENT_AT, ...extra.map(([, ms]) => SENT_AT + ms)),
  });

  it('Should count a reader on the page opened last, well after sending, alone on the invitation', () => {
    expect(judgeEvidence(reader, sentLongAgo, at(3_000), { activity: activity() })).toEqual({ person: true });
  });

  it.each([
    { what: 'a minute after sending', invitation, context: activity(), reason: 'dwell too soon after sending' },
    { what: 'from a page another opening followed', invitation: sentLongAgo, context: activity([[7, 500]]), reason: 'link opened again since' },
    { what: 'when another score was opened 9 s before its page', invitation: sentLongAgo, context: activity([[2, -9_000]]), reason: 'burst of link opens' },
  ])('Should refuse a dwell $what', ({ invitation: inv, context, reason }) => {
    // Act: the hold is judged at its end, 30 s later
    const verdict = judgeDwell(reader, inv, at(33_000), context);

    // Assess
    expect(verdict).toEqual({ person: false, reason });
  });

  it('Should keep the production waits by default: a dwell refused within 60 s of sending, counted after, and held 30 s', () => {
    // Prepare: a reader alone on the page of the invitation, opened as it was sent (the e2e tests run shorter waits)
    const context = activity();

    // Act
    const early = judgeDwell(reader, invitation, at(59_000), context);
    const late = judgeDwell(reader, invitation, at(61_000), context);

    // Assess
    expect(DEFAULT_EVIDENCE_RULES).toMatchObject({ dwellMinSecondsAfterSend: 60, dwellHoldSeconds: 30 });
    expect(early).toEqual({ person: false, reason: 'dwell too soon after sending' });
    expect(late).toEqual({ person: true });
  });

  it('Should rank the evidence dwell < interaction < button, SMS and import', () => {
    expect(['dwell', 'interaction', 'button', 'sms', 'import'].map((k) => evidenceRank(k as EvidenceKind))).toEqual([1, 2, 3, 3, 3]);
  });
});

describe('scanner networks', () => {
  const networks = networkList([...KNOWN_SCANNER_NETWORKS, '198.51.100.0/24', '2001:db8::/32']);

  it.each([
    ['Exchange Online Protection', '40.107.22.33'],
    ['Proofpoint', '148.163.150.10'],
    ['Barracuda', '209.222.82.1'],
    ['a configured network', '198.51.100.200'],
    ['an IPv4-mapped address in a configured network', '::ffff:198.51.100.7'],
    ['a configured IPv6 network', '2001:db8:1234::1'],
    ['Exchange Online over IPv6', '2a01:111:f400:7e1b::1'],
  ])('Should place %s (%s) in a scanner network', (_name, ip) => {
    expect(networks.contains(ip)).toBe(true);
  });

  it.each([
    ['a home address', '83.12.34.56'],
    ['a mobile IPv6 address', '2a00:f41:1234::1'],
    ['no address', undefined],
    ['garbage', 'not-an-ip'],
  ])('Should not place %s in one', (_name, ip) => {
    expect(networks.contains(ip)).toBe(false);
  });

  it.each(['10.0.0.0/33', '300.1.1.1/8', 'example.com', '2001:db8::/129', '10.0.0.0/x'])('Should refuse the bad network %j, naming it', (entry) => {
    expect(() => networkList([entry])).toThrow(entry);
  });

  it('Should ignore empty entries of a comma-separated list', () => {
    expect(networkList(['', ' ', '192.0.2.1']).contains('192.0.2.1')).toBe(true);
  });

  it('Should strip the IPv4-mapped prefix and nothing else', () => {
    expect(normalizeAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeAddress('::ffff:abcd')).toBe('::ffff:abcd');
  });
});

describe('bursts of link opens', () => {
  const window = DEFAULT_EVIDENCE_RULES.burstWindowSeconds * 1000;

  it.each([
    {
      name: 'three scores within a second',
      activity: opens([
        [0, 5_000],
        [5, 5_300],
        [10, 5_600],
      ]),
      now: 5_700,
      burst: true,
    },
    { name: 'all eleven in parallel', activity: opens(Array.from({ length: 11 }, (_, s) => [s, 5_000] as [number, number])), now: 5_100, burst: true },
    {
      name: 'three scores spread over the window',
      activity: opens([
        [1, 5_000],
        [2, 5_000 + window / 2],
        [3, 5_000 + window - 1],
      ]),
      now: 5_000 + window,
      burst: true,
    },
    {
      name: 'two scores within seconds',
      activity: opens([
        [8, 5_000],
        [9, 6_000],
      ]),
      now: 7_000,
      burst: true,
    },
    {
      name: 'two scores further apart than the window',
      activity: opens([
        [8, 0],
        [9, window + 1],
      ]),
      now: window + 2,
      burst: false,
    },
    { name: 'one link opened again and again', activity: opens([[3, 5_000]]), now: 5_001, burst: false },
    {
      name: 'a burst long gone',
      activity: opens([
        [0, 1_000],
        [1, 1_100],
        [2, 1_200],
        [9, 60_000],
      ]),
      now: 62_000,
      burst: false,
    },
    { name: 'no activity recorded', activity: undefined, now: 5_000, burst: false },
  ])('Should see $name as burst=$burst', ({ activity, now, burst }) => {
    expect(isInScannerBurst(activity, at(now))).toBe(burst);
  });
});

describe('judging an answer', () => {
  it('Should count a person who answers after a scanner burst is over', () => {
    // Prepare: a scanner opened every link 3 s after sending; the person opens 9 two minutes later
    const activity = opens([...Array.from({ length: 11 }, (_, s) => [s, 3_000] as [number, number]), [9, 2 * MINUTE]]);

    // Act
    const verdict = judgeEvidence(person, invitation, at(2 * MINUTE + 4_000), { activity });

    // Assess
    expect(verdict).toEqual({ person: true });
  });

  it.each([
    { name: 'no interaction', evidence: { ...person, kind: 'none' as const }, now: 10 * MINUTE, reason: 'no interaction' },
    { name: 'a scanner user agent', evidence: { ...person, userAgent: 'curl/8' }, now: 10 * MINUTE, reason: 'scanner user agent' },
    { name: 'a scanner network', evidence: { ...person, sourceIp: '104.47.1.1' }, now: 10 * MINUTE, reason: 'scanner network' },
    { name: 'an answer 1.999 s after sending', evidence: person, now: 1_999, reason: 'too soon after sending' },
    {
      name: 'an answer inside a burst',
      evidence: person,
      now: 3_500,
      reason: 'burst of link opens',
      activity: opens([
        [0, 3_000],
        [1, 3_100],
        [2, 3_200],
      ]),
    },
    {
      name: 'an answer 1.9 s after its link opened',
      evidence: person,
      now: MINUTE,
      reason: 'too soon after opening',
      activity: { ...opens([[4, MINUTE - 1_900]]), lastOpenAt: SENT_AT + MINUTE - 1_900 },
    },
    {
      name: 'an answer 1 s after a link without a score opened',
      evidence: person,
      now: MINUTE,
      reason: 'too soon after opening',
      activity: { opens: {}, lastOpenAt: SENT_AT + MINUTE - 1_000 },
    },
  ])('Should refuse $name with the reason', ({ evidence, now, reason, activity }) => {
    expect(judgeEvidence(evidence, invitation, at(now), { activity })).toEqual({ person: false, reason });
  });

  it('Should use the networks it is given instead of the published ones', () => {
    // Prepare
    const own = networkList(['127.0.0.0/8']);

    // Act / Assess
    expect(judgeEvidence({ ...person, sourceIp: '127.0.0.1' }, invitation, at(MINUTE), { scannerNetworks: own })).toEqual({
      person: false,
      reason: 'scanner network',
    });
    expect(judgeEvidence({ ...person, sourceIp: '104.47.1.1' }, invitation, at(MINUTE), { scannerNetworks: own })).toEqual({ person: true });
  });

  it('Should count an answer two seconds after its link opened', () => {
    // Prepare
    const activity = { ...opens([[4, MINUTE]]), lastOpenAt: SENT_AT + MINUTE };

    // Act / Assess
    expect(judgeEvidence(person, invitation, at(MINUTE + DEFAULT_EVIDENCE_RULES.minSecondsOnPage * 1000), { activity })).toEqual({ person: true });
  });

  it('Should count an answer exactly two seconds after sending', () => {
    expect(judgeEvidence(person, invitation, at(DEFAULT_EVIDENCE_RULES.minSecondsAfterSend * 1000))).toEqual({ person: true });
  });
});

describe('answers tainted by a burst', () => {
  it.each([
    {
      name: 'a sandbox answer followed by its next links',
      activity: opens([
        [0, 3_000],
        [1, 6_000],
        [2, 9_000],
      ]),
      answeredAt: 5_000,
      tainted: true,
    },
    {
      name: 'an answer preceded by a burst',
      activity: opens([
        [3, 1_000],
        [7, 1_100],
      ]),
      answeredAt: 8_000,
      tainted: true,
    },
    { name: 'a lone answer', activity: opens([[9, 60_000]]), answeredAt: 63_000, tainted: false },
    {
      name: 'an answer long after a burst',
      activity: opens([
        [0, 3_000],
        [1, 3_100],
        [9, 10 * MINUTE],
      ]),
      answeredAt: 10 * MINUTE + 3_000,
      tainted: false,
    },
  ])('Should see $name as tainted=$tainted', ({ activity, answeredAt, tainted }) => {
    expect(isTaintedByBurst(activity, at(answeredAt).toISOString())).toBe(tainted);
  });
});
