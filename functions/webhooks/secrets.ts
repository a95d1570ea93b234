/**
 * Webhook signing secrets: from the environment locally (SHOPIFY_WEBHOOK_SECRET, ZENDESK_WEBHOOK_SECRET),
 * from Secrets Manager on AWS (SHOPIFY_WEBHOOK_SECRET_ARN, ZENDESK_WEBHOOK_SECRET_ARN; the SecretString
 * as it is). Read once per container; read again when a signature fails and the copy is over a minute
 * old, so that a secret rotated in the provider and in Secrets Manager works without a redeploy.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { ENV } from '../manifest.ts';
import { HttpError } from '../shared/http.ts';

export type WebhookSource = 'shopify' | 'zendesk';

const NAMES: Record<WebhookSource, { value: string; arn: string }> = {
  shopify: { value: ENV.shopifyWebhookSecret, arn: ENV.shopifyWebhookSecretArn },
  zendesk: { value: ENV.zendeskWebhookSecret, arn: ENV.zendeskWebhookSecretArn },
};

const configured = z.string().trim().min(1).optional();
const REFRESH_AFTER_MS = 60_000;

let client: SecretsManagerClient | undefined;
const cache = new Map<WebhookSource, { secret: Promise<string>; fetchedAt: number }>();

async function load(source: WebhookSource): Promise<string> {
  const names = NAMES[source];
  const value = configured.parse(process.env[names.value]);
  if (value) return value;
  const arn = configured.parse(process.env[names.arn]);
  if (!arn) throw new HttpError(503, `the ${source} webhook is not configured: set ${names.value} (local) or ${names.arn} (AWS)`);
  client ??= new SecretsManagerClient({});
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  const secret = out.SecretString?.trim();
  if (!secret) throw new HttpError(503, `the ${source} webhook secret in Secrets Manager is empty: put the provider's signing secret there`);
  return secret;
}

export function webhookSecret(source: WebhookSource, options: { refresh?: boolean } = {}): Promise<string> {
  const cached = cache.get(source);
  if (cached && !(options.refresh && Date.now() - cached.fetchedAt > REFRESH_AFTER_MS)) return cached.secret;
  const secret = load(source);
  cache.set(source, { secret, fetchedAt: Date.now() });
  secret.catch(() => cache.delete(source)); // a failed read is tried again on the next request
  return secret;
}

/** For tests that change the environment between cases. */
export function forgetWebhookSecrets(): void {
  cache.clear();
}
