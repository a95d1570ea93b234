/**
 * Is a person evident behind this answer? Email security scanners (Safe Links, Mimecast, Proofpoint…)
 * open every link of a mail within seconds, sometimes in a headless browser that runs the page. A GET
 * never answers: an answer is a POST from the rating page, sent either by its script after a real
 * interaction (pointer, key, touch, scroll) or by a person pressing the no-script button. Such a POST
 * is still refused when its context looks like a machine:
 *
 *  - a user agent of a scanner, crawler, link previewer or HTTP library (or none at all);
 *  - a source address in a network of mail security gateways;
 *  - within seconds of sending: nobody reads a mail that fast, scanners fetch it on delivery;
 *  - within seconds of opening the page: a sandbox that "interacts" with each page and moves on to the
 *    next link never stays that long (the page's script waits for it);
 *  - during a burst: links of different scores of one invitation opened within seconds of each other
 *    (sequential or parallel) — a person clicks one link, a scanner opens them all.
 *
 * A person who clicks after a burst is counted: the burst only covers the seconds it lasts. And an
 * answer that a burst surrounds (a sandbox slow enough to answer before opening the next link) is
 * "tainted": a person may replace it even after the edit window (`isTaintedByBurst`).
 *
 * "dwell" is the weakest evidence: the page stayed visible a few seconds, nothing was touched. A
 * sandbox that runs the page and waits on one link looks the same, so a dwell answer must also come
 * well after sending (gateways detonate on delivery), from the latest opening of the invitation's
 * links (a time-of-click rescan opens the link just before the person does), and it is held for
 * `dwellHoldSeconds` before it counts: a sandbox walking the links one after another opens the next
 * one within that time, and the held answer is dropped (docs/responses.md).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { EvidenceKind, Invitation } from './model.ts';

export { EVIDENCE_KINDS, STRONG_EVIDENCE, type EvidenceKind } from './model.ts';

/** Upgrades: a stronger kind replaces a weaker one on the same answer (dwell → interaction → button). */
export function evidenceRank(kind: EvidenceKind | undefined): number {
  return kind === 'dwell' ? 1 : kind === 'interaction' ? 2 : kind === undefined ? 0 : 3;
}

/** The kind a page's form or script says ("interaction", "button", "dwell"); anything else is none. */
export function pageEvidenceKind(value: string | null | undefined): 'interaction' | 'button' | 'dwell' | 'none' {
  return value === 'interaction' || value === 'button' || value === 'dwell' ? value : 'none';
}

/** The page's opening time as its form reports it (epoch ms, digits only), or undefined. */
export function parseOpenedAt(value: string | null | undefined): number | undefined {
  return value && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

export interface Evidence {
  /** How the answer came: the page's script after an interaction or a dwell, the form's button, an SMS reply. */
  kind: EvidenceKind | 'none';
  userAgent?: string;
  /** The caller's address as the edge saw it (API Gateway's sourceIp). */
  sourceIp?: string;
  /** For dwell: when the page that reports it was opened (epoch ms, the server's time of that GET). */
  openedAt?: number;
}

/** When each score's link of one invitation was last opened (epoch ms), from the link GETs. */
export interface LinkActivity {
  opens: Partial<Record<number, number>>;
  /** The last open of any link of the invitation, with or without a score (epoch ms). */
  lastOpenAt?: number;
}

/** The thresholds of the judgement; the composition root hands them in (functions/shared/deps.ts evidenceRules). */
export interface EvidenceRules {
  minSecondsAfterSend: number;
  minSecondsOnPage: number;
  burstDistinctScores: number;
  burstWindowSeconds: number;
  dwellMinSecondsAfterSend: number;
  dwellHoldSeconds: number;
}

/** The production rules (frozen: a runtime with other rules builds its own object, it never changes these). */
export const DEFAULT_EVIDENCE_RULES: Readonly<EvidenceRules> = Object.freeze({
  /** Answers within this many seconds of sending come from machines: no person reads that fast. */
  minSecondsAfterSend: 2,
  /** Answers within this many seconds of the last link open: the page's script waits longer (2.5 s). */
  minSecondsOnPage: 2,
  /** Links of this many different scores opened within `burstWindowSeconds` are a scanner burst. */
  burstDistinctScores: 2,
  burstWindowSeconds: 10,
  /** Dwell answers within this many seconds of sending are refused: gateways detonate links on delivery. */
  dwellMinSecondsAfterSend: 60,
  /** A dwell answer counts only after this many seconds without another link of the invitation opened. */
  dwellHoldSeconds: 30,
});

/** Longest user agent judged; a longer one is no browser's (and bounds the patterns' work). */
export const MAX_USER_AGENT_LENGTH = 512;

/**
 * User agents of link scanners, crawlers, link previewers and HTTP libraries that identify themselves.
 * "bot" counts only as the end of a product token followed by a version, a separator or a bracket
 * ("Googlebot/2.1", "Slackbot-LinkExpanding", "TelegramBot (like TwitterBot)"), so that phone models
 * such as "CUBOT X30" or "CUBOT_KINGKONG" stay people.
 * Every pattern is linear: none starts with a repeated class that a search would re-read from every
 * position (`[a-z]*bot` on 10 KB of letters was quadratic, about a second).
 */
export const SCANNER_AGENTS: readonly RegExp[] = [
  /(?:bot|crawler|spider)(?=\s*[/;,()+-]|\s*$)/i,
  /\b(?:bingpreview|linkpreview|safelinks|proofpoint|urldefense|mimecast|barracuda|ironport|trendmicro|forcepoint|existence discovery|facebookexternalhit|whatsapp|skypeuripreview|google-pagerenderer|ms-office|microsoft office\/)/i,
  /\b(?:curl|wget|python-requests|python-urllib|aiohttp|httpx|go-http-client|okhttp|java\/|apache-httpclient|libwww-perl|node-fetch|axios|undici|headlesschrome|phantomjs|scrapy|postmanruntime|insomnia|dart\/)/i,
  /^(?:node|deno|bun|ruby|python|java|mozilla(?:\/[\d.]+)?)$/i, // bare runtime names (Node's fetch says "node") and a lone "Mozilla/5.0"
];

export function isScannerUserAgent(userAgent: string | undefined): boolean {
  if (!userAgent || userAgent.length > MAX_USER_AGENT_LENGTH) return true;
  const ua = userAgent.trim();
  return !ua || SCANNER_AGENTS.some((pattern) => pattern.test(ua));
}

/**
 * Published sending ranges of the big mail security gateways, whose link checks come from the same
 * networks. A starting point, not a complete list: extend it with SCANNER_NETWORKS (comma-separated
 * CIDRs) when your own logs show others.
 *   Microsoft Exchange Online Protection (spf.protection.outlook.com), Proofpoint Essentials /
 *   pphosted, Barracuda Email Security Service (US).
 */
export const KNOWN_SCANNER_NETWORKS: readonly string[] = [
  '40.92.0.0/15',
  '40.107.0.0/16',
  '52.100.0.0/14',
  '104.47.0.0/17',
  '2a01:111:f400::/48',
  '2a01:111:f403::/48',
  '67.231.144.0/20',
  '148.163.128.0/19',
  '64.235.144.0/20',
  '209.222.80.0/21',
];

export interface NetworkList {
  contains(address: string | undefined): boolean;
}

/** The address without an IPv4-mapped IPv6 prefix ("::ffff:10.0.0.1" → "10.0.0.1"). */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address.trim());
  return mapped ? mapped[1]! : address.trim();
}

/** Parses CIDRs ("10.0.0.0/8", "2001:db8::/32", or a bare address); throws naming a bad entry. */
export function networkList(cidrs: readonly string[]): NetworkList {
  const list = new BlockList();
  for (const entry of cidrs.map((c) => c.trim()).filter(Boolean)) {
    const [address = '', prefixText] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const prefix = prefixText === undefined ? (type === 'ipv4' ? 32 : 128) : Number(prefixText);
    if (!type || !Number.isInteger(prefix) || prefix < 0 || prefix > (type === 'ipv4' ? 32 : 128)) {
      throw new Error(`not a network in CIDR notation: "${entry}"`);
    }
    list.addSubnet(address, prefix, type);
  }
  return {
    contains(raw) {
      if (!raw) return false;
      const address = normalizeAddress(raw);
      if (isIPv4(address)) return list.check(address, 'ipv4');
      if (isIPv6(address)) return list.check(address, 'ipv6');
      return false;
    },
  };
}

const DEFAULT_NETWORKS = networkList(KNOWN_SCANNER_NETWORKS);

/** Different scores whose links were (last) opened in [from, to] (epoch ms). */
function distinctScoresOpened(activity: LinkActivity | undefined, from: number, to: number): number {
  if (!activity) return 0;
  return Object.values(activity.opens).filter((at) => at !== undefined && at >= from && at <= to).length;
}

/** Links of different scores opened within the burst window before `now`. */
export function isInScannerBurst(activity: LinkActivity | undefined, now: Date, rules: EvidenceRules = DEFAULT_EVIDENCE_RULES): boolean {
  const to = now.getTime();
  return distinctScoresOpened(activity, to - rules.burstWindowSeconds * 1000, to + 1000) >= rules.burstDistinctScores;
}

/**
 * An answer given amid a burst (links of different scores opened within the window around it) was
 * most likely a sandbox's: a person may replace it after the edit window, which a real first answer
 * would close.
 */
export function isTaintedByBurst(activity: LinkActivity | undefined, answeredAt: string, rules: EvidenceRules = DEFAULT_EVIDENCE_RULES): boolean {
  const at = Date.parse(answeredAt);
  const window = rules.burstWindowSeconds * 1000;
  return distinctScoresOpened(activity, at - window, at + window) >= rules.burstDistinctScores;
}

export type Verdict = { person: true } | { person: false; reason: ScannerSign };
export type ScannerSign =
  | 'no interaction'
  | 'scanner user agent'
  | 'scanner network'
  | 'too soon after sending'
  | 'too soon after opening'
  | 'burst of link opens'
  | 'dwell too soon after sending'
  | 'dwell without its page'
  | 'link opened again since';

export interface JudgeContext {
  /** Recent link opens of this invitation. */
  activity?: LinkActivity;
  /** Networks of scanners; the published gateway ranges by default. */
  scannerNetworks?: NetworkList;
  /** The thresholds; the production ones by default. */
  rules?: EvidenceRules;
}

export function judgeEvidence(evidence: Evidence, invitation: Invitation, now: Date, context: JudgeContext = {}): Verdict {
  if (evidence.kind === 'none') return { person: false, reason: 'no interaction' };
  if (isScannerUserAgent(evidence.userAgent)) return { person: false, reason: 'scanner user agent' };
  if ((context.scannerNetworks ?? DEFAULT_NETWORKS).contains(evidence.sourceIp)) return { person: false, reason: 'scanner network' };
  const rules = context.rules ?? DEFAULT_EVIDENCE_RULES;
  if (invitation.sentAt && now.getTime() - Date.parse(invitation.sentAt) < rules.minSecondsAfterSend * 1000) {
    return { person: false, reason: 'too soon after sending' };
  }
  if (isInScannerBurst(context.activity, now, rules)) return { person: false, reason: 'burst of link opens' };
  const lastOpenAt = context.activity?.lastOpenAt;
  if (lastOpenAt !== undefined && now.getTime() - lastOpenAt < rules.minSecondsOnPage * 1000) {
    return { person: false, reason: 'too soon after opening' };
  }
  return evidence.kind === 'dwell' ? judgeDwell(evidence, invitation, now, context.activity, rules) : { person: true };
}

/**
 * The extra signs a dwell answer must pass, at once and again when its hold ends (`now` later): well
 * after sending, from the page opened last, and no link of another score opened since a burst window
 * before that page.
 */
export function judgeDwell(
  evidence: Evidence,
  invitation: Invitation,
  now: Date,
  activity: LinkActivity | undefined,
  rules: EvidenceRules = DEFAULT_EVIDENCE_RULES,
): Verdict {
  if (invitation.sentAt && now.getTime() - Date.parse(invitation.sentAt) < rules.dwellMinSecondsAfterSend * 1000) {
    return { person: false, reason: 'dwell too soon after sending' };
  }
  const openedAt = evidence.openedAt;
  if (openedAt === undefined || !Number.isSafeInteger(openedAt) || openedAt > now.getTime()) return { person: false, reason: 'dwell without its page' };
  if (activity?.lastOpenAt !== undefined && activity.lastOpenAt > openedAt) return { person: false, reason: 'link opened again since' };
  const from = openedAt - rules.burstWindowSeconds * 1000;
  if (distinctScoresOpened(activity, from, now.getTime() + 1000) >= rules.burstDistinctScores) return { person: false, reason: 'burst of link opens' };
  return { person: true };
}
