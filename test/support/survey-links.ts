/**
 * Helpers for the survey-link tests (scanners, people in a browser, fuzzing): a sent survey and its
 * links, what the table holds for an invitation, and a Chromium as Debian ships it.
 */
import { GetCommand, QueryCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chromium, type Browser, type BrowserContextOptions } from 'playwright-core';
import { localDynamoClient } from '../../local/dynamodb.ts';
import type { Runtime } from '../../local/runtime.ts';
import { mailsTo, orderDelivered, ratingLinks, waitFor } from './http.ts';

/** A desktop Chrome that is not headless: what a person's browser says. */
export const PERSON_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export interface SentSurvey {
  customerId: string;
  email: string;
  /** Rating links by score, as in the mail. */
  links: Map<number, string>;
  token: string;
  invitationId: string;
  /** The POST target of the rating page. */
  answerUrl: string;
  /** When this test first saw the mail in the local SES store (epoch ms; the store keeps whole seconds only). */
  seenAt: number;
}

/** Posts an order.delivered event for a new customer and waits for the NPS mail; returns its links. */
export async function sendSurvey(runtime: Runtime, customerId: string, options: { locale?: string; pollMs?: number } = {}): Promise<SentSurvey> {
  const email = await postOrder(runtime, customerId, options.locale);
  const mail = await waitFor(`the survey mail to ${email}`, async () => (await mailsTo(runtime.sesUrl, email))[0], 20_000, options.pollMs ?? 100);
  return sentSurvey(runtime, customerId, mail.body.html ?? '', Date.now());
}

/** Many surveys at once: the events posted together, the local mail store polled by one loop for all of them. */
export async function sendSurveys(
  runtime: Runtime,
  customerIds: string[],
  options: { timeoutMs?: number; localeOf?: (customerId: string) => string | undefined } = {},
): Promise<SentSurvey[]> {
  const emails = await Promise.all(customerIds.map((id) => postOrder(runtime, id, options.localeOf?.(id))));
  const seen = new Map<string, SentSurvey>();
  await waitFor(
    `${customerIds.length} survey mails`,
    async () => {
      const store = (await (await fetch(`${runtime.sesUrl}/store`)).json()) as { emails: Array<{ destination: { to: string[] }; body: { html?: string } }> };
      for (const [i, email] of emails.entries()) {
        const mail = seen.has(email) ? undefined : store.emails.find((e) => e.destination.to.includes(email));
        if (mail) seen.set(email, sentSurvey(runtime, customerIds[i]!, mail.body.html ?? '', Date.now()));
      }
      return seen.size === emails.length ? true : undefined;
    },
    options.timeoutMs ?? 120_000,
    200,
  );
  return emails.map((email) => seen.get(email)!);
}

async function postOrder(runtime: Runtime, customerId: string, locale?: string): Promise<string> {
  const email = `${customerId}@example.com`;
  const posted = await fetch(`${runtime.apiUrl}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(orderDelivered({ eventId: `evt-${customerId}`, customerId, email, locale })),
  });
  if (posted.status !== 202) throw new Error(`event for ${customerId} was not accepted: ${posted.status} ${await posted.text()}`);
  return email;
}

function sentSurvey(runtime: Runtime, customerId: string, html: string, seenAt: number): SentSurvey {
  const email = `${customerId}@example.com`;
  const links = ratingLinks(html);
  const token = /\/r\/([^/?]+)\?/.exec(links.get(0) ?? links.get(1) ?? '')?.[1];
  if (!token) throw new Error(`no rating link in the mail to ${email}`);
  return { customerId, email, links, token, invitationId: token.split('.')[0]!, answerUrl: `${runtime.apiUrl}/r/${token}`, seenAt };
}

/** Waits until the invitation is marked sent (the mail is stored a moment before). */
export async function waitUntilSent(runtime: Runtime, invitationId: string): Promise<string> {
  return waitFor('the invitation to be marked sent', async () => {
    const item = await tableItem(runtime, `INV#${invitationId}`, 'INVITATION');
    return item?.status === 'sent' ? String(item.sentAt) : undefined;
  });
}

let documentClient: { endpoint: string; client: DynamoDBDocumentClient } | undefined;

function db(runtime: Runtime): DynamoDBDocumentClient {
  if (documentClient?.endpoint !== runtime.dynamoEndpoint) {
    documentClient = { endpoint: runtime.dynamoEndpoint, client: DynamoDBDocumentClient.from(localDynamoClient(runtime.dynamoEndpoint)) };
  }
  return documentClient.client;
}

export async function tableItem(runtime: Runtime, pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await db(runtime).send(new GetCommand({ TableName: runtime.tableName, Key: { pk, sk }, ConsistentRead: true }));
  return Item;
}

/** The stored response of an invitation, if any. */
export function storedResponse(runtime: Runtime, invitationId: string) {
  return tableItem(runtime, `INV#${invitationId}`, 'RESPONSE');
}

/** Every item kept under an invitation's key (invitation, response, link opens…). */
export async function invitationItems(runtime: Runtime, invitationId: string): Promise<Array<Record<string, unknown>>> {
  const { Items = [] } = await db(runtime).send(
    new QueryCommand({
      TableName: runtime.tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': `INV#${invitationId}` },
      ConsistentRead: true,
    }),
  );
  return Items;
}

/** Alerts published through SNS so far (the local outbox). */
export async function publishedAlerts(runtime: Runtime): Promise<Array<{ body: string; attributes: Record<string, string> }>> {
  return (await (await fetch(`${runtime.apiUrl}/local/outbox?channel=alert`)).json()) as Array<{ body: string; attributes: Record<string, string> }>;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A person's browser context: a real browser's user agent (not HeadlessChrome), a phone-sized screen optional. */
export function personContext(browser: Browser, options: BrowserContextOptions = {}) {
  return browser.newContext({ userAgent: PERSON_UA, locale: 'en-GB', ...options });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
