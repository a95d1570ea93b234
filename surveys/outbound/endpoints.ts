/**
 * Outbound endpoints: where support leads want ankieta's events (a signed webhook, a Slack or Teams
 * channel, a Zendesk follow-up), which events, and for which team, store, survey or alert kind.
 * The connection itself (a webhook's signing secret, the Slack or Teams URL, the Zendesk token) is a
 * secret kept outside the table; the endpoint keeps a hint of its URL for people to recognise it.
 */
import * as z from '../zod.ts';
import { SUPPORTED_LOCALES } from '../model.ts';

export const ENDPOINT_KINDS = ['webhook', 'slack', 'teams', 'zendesk'] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

export const OUTBOUND_EVENT_TYPES = [
  'response.created',
  'response.updated',
  'alert.created',
  'alert.acknowledged',
  'alert.resolved',
  'contact.unsubscribed',
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

const filterValue = z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)));
export const endpointFilterSchema = z.strictObject({
  team: filterValue,
  store: filterValue,
  survey: filterValue,
  /** The alert kind: `detractor` or `churn-risk`. */
  kind: z.optional(z.enum(['detractor', 'churn-risk'])),
});
export type EndpointFilter = z.infer<typeof endpointFilterSchema>;

/** `POST /api/endpoints`: the DESIGN.md contract plus compatible options. */
export const newEndpointSchema = z
  .strictObject({
    kind: z.enum(ENDPOINT_KINDS),
    url: z.url({ protocol: /^https?$/ }).check(z.maxLength(2048)),
    events: z.array(z.enum(OUTBOUND_EVENT_TYPES)).check(z.minLength(1), z.maxLength(OUTBOUND_EVENT_TYPES.length)),
    filter: z.optional(endpointFilterSchema),
    /** A trusted endpoint (the company's own system) gets the customer's contact unmasked. */
    trusted: z._default(z.boolean(), false),
    /** The language of Slack, Teams and Zendesk texts; ALERT_LANGUAGE by default. */
    language: z.optional(z.enum(SUPPORTED_LOCALES)),
    description: z.optional(z.string().check(z.trim(), z.maxLength(200))),
    /** Zendesk: the agent's e-mail and API token, and whether a detractor gets a new ticket or a private note on the ticket it rated. */
    zendesk: z.optional(
      z.strictObject({
        email: z.email().check(z.maxLength(254)),
        token: z.string().check(z.minLength(10), z.maxLength(200)),
        mode: z._default(z.enum(['ticket', 'note']), 'ticket'),
      }),
    ),
  })
  .check(
    z.refine((e) => e.kind !== 'zendesk' || e.zendesk, { message: 'a zendesk endpoint needs zendesk: { email, token }', path: ['zendesk'] }),
    z.refine((e) => e.kind === 'zendesk' || !e.zendesk, { message: 'zendesk settings are for zendesk endpoints only', path: ['zendesk'] }),
  );
export type NewEndpoint = z.infer<typeof newEndpointSchema>;

export interface Endpoint {
  id: string;
  kind: EndpointKind;
  /** Recognisable but not usable: `https://hooks.slack.com/services/T0…` (the whole URL is in the secret). */
  urlHint: string;
  events: OutboundEventType[];
  filter?: EndpointFilter;
  trusted: boolean;
  language?: (typeof SUPPORTED_LOCALES)[number];
  description?: string;
  zendeskMode?: 'ticket' | 'note';
  status: 'active' | 'disabled';
  /** Why it was disabled, e.g. the receiver answered 410 Gone. */
  disabledReason?: string;
  createdAt: string;
  updatedAt?: string;
}

/** What is kept in the secret store: everything needed to call the endpoint. Never returned by the API after creation. */
export interface EndpointConnection {
  url: string;
  /** Webhooks: the Standard Webhooks signing secret, `whsec_<base64>`. */
  signingSecret?: string;
  zendesk?: { email: string; token: string };
}

/** Slack and Teams URLs are credentials (whoever has one can post): show their host and the start of the path only. */
export function urlHint(kind: EndpointKind, url: string): string {
  const u = new URL(url);
  if (kind === 'webhook' || kind === 'zendesk') return `${u.origin}${u.pathname}`;
  return `${u.origin}${u.pathname.slice(0, 12)}…`;
}

/**
 * Where ankieta may post. On AWS only https, and never to a private, loopback or link-local address
 * written as an IP (the metadata service is 169.254.169.254); locally (`allowLoopback`) also
 * http://127.0.0.1:* and http://localhost:* so that a receiver on the same machine works.
 */
export function checkEndpointUrl(url: string, options: { allowLoopback: boolean }): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'url: not a URL';
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  if (loopback) return options.allowLoopback ? undefined : 'url: loopback receivers are allowed only in the local runtime';
  if (u.protocol !== 'https:') return 'url: must be https';
  if (u.username || u.password) return 'url: must not carry credentials';
  if (/^(10\.|127\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|0\.)/.test(host) || /^(fc|fd|fe80)/i.test(host) || host === '::') {
    return 'url: private and link-local addresses are not allowed';
  }
  return undefined;
}
