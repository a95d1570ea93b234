/**
 * Register, list and delete outbound endpoints (`/api/endpoints`).
 *
 * Primary course (register):
 *  1. Check the URL: https on AWS (and no private address), http://127.0.0.1 also in the local runtime.
 *  2. A webhook gets a fresh signing secret `whsec_<base64 of 24 random bytes>` (Standard Webhooks).
 *  3. Store the connection (URL, secret or token) in the secret store, then the endpoint (without it).
 *  4. Answer `{ id, secret? }`: the signing secret is shown this once and never again.
 * Delete: the endpoint first (nothing is delivered to it any more), then its secret.
 */
import type { Endpoint, NewEndpoint } from './endpoints.ts';
import { checkEndpointUrl, urlHint } from './endpoints.ts';
import type { Delivery, DeliveryStore, EndpointSecrets, EndpointStore } from './ports.ts';

export interface ManageDeps {
  endpoints: EndpointStore;
  deliveries: Pick<DeliveryStore, 'listDeliveries'>;
  secrets: EndpointSecrets;
  allowLoopback: boolean;
  newId: () => string;
  /** Base64 of fresh random bytes (a signing secret's key). */
  randomKey: () => string;
  now: () => Date;
}

export type RegisterOutcome = { status: 'created'; id: string; secret?: string } | { status: 'invalid'; reason: string };

export async function registerEndpoint(input: NewEndpoint, deps: ManageDeps): Promise<RegisterOutcome> {
  const refused = checkEndpointUrl(input.url, { allowLoopback: deps.allowLoopback });
  if (refused) return { status: 'invalid', reason: refused };
  const id = deps.newId();
  const secret = input.kind === 'webhook' ? `whsec_${deps.randomKey()}` : undefined;
  await deps.secrets.put(id, {
    url: input.url,
    ...(secret ? { signingSecret: secret } : {}),
    ...(input.zendesk ? { zendesk: { email: input.zendesk.email, token: input.zendesk.token } } : {}),
  });
  const endpoint: Endpoint = {
    id,
    kind: input.kind,
    urlHint: urlHint(input.kind, input.url),
    events: [...new Set(input.events)],
    ...(input.filter && Object.keys(input.filter).length ? { filter: input.filter } : {}),
    trusted: input.trusted,
    ...(input.language ? { language: input.language } : {}),
    ...(input.description ? { description: input.description } : {}),
    ...(input.zendesk ? { zendeskMode: input.zendesk.mode } : {}),
    status: 'active',
    createdAt: deps.now().toISOString(),
  };
  await deps.endpoints.createEndpoint(endpoint);
  return { status: 'created', id, ...(secret ? { secret } : {}) };
}

export async function deleteEndpoint(id: string, deps: ManageDeps): Promise<boolean> {
  if (!(await deps.endpoints.getEndpoint(id))) return false;
  await deps.endpoints.deleteEndpoint(id);
  await deps.secrets.delete(id);
  return true;
}

export async function endpointDeliveries(id: string, limit: number, deps: ManageDeps): Promise<Delivery[] | undefined> {
  if (!(await deps.endpoints.getEndpoint(id))) return undefined;
  return deps.deliveries.listDeliveries(id, limit);
}
