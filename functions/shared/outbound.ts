/** Wiring of the outbound endpoint functions (endpointsApi, emitOutbound, deliverOutbound): ports to adapters, settings from env(). */
import { randomBytes, randomUUID } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { updateAlert } from '#surveys/use-cases/alert-lifecycle.ts';
import type { DeliverDeps } from '#surveys/outbound/deliver.ts';
import type { EmitDeps } from '#surveys/outbound/emit.ts';
import type { ManageDeps } from '#surveys/outbound/manage.ts';
import type { FollowUpRecorder } from '#surveys/outbound/ports.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '#surveys/outbound/routing.ts';
import { DynamoEndpointStore } from '../adapters/dynamodb/endpoint-store.ts';
import { FetchOutboundSender } from '../adapters/outbound/http-sender.ts';
import { SecretsManagerEndpointSecrets } from '../adapters/secrets/endpoint-secrets.ts';
import { SqsDeliveryQueue } from '../adapters/sqs/delivery-queue.ts';
import { alertRules } from './alerts.ts';
import { dynamoDocumentClient } from './clients.ts';
import { alertStore, customerHistory, lazy, systemClock } from './deps.ts';
import { env } from './env.ts';

// Built on first use and rebuilt when configure() installs another configuration (deps.ts lazy()).
const sqsClient = /* @__PURE__ */ lazy(() => new SQSClient({ maxAttempts: 3 }));
const secretsClient = /* @__PURE__ */ lazy(() => new SecretsManagerClient({ maxAttempts: 3 }));

export const endpointStore = /* @__PURE__ */ lazy((config) => new DynamoEndpointStore(dynamoDocumentClient(), config.tableName));

export const endpointSecrets = /* @__PURE__ */ lazy((config) => new SecretsManagerEndpointSecrets(secretsClient(), config.outbound.secretPrefix));

export const deliveryQueue = /* @__PURE__ */ lazy((config) => {
  if (!config.outbound.queueUrl) throw new Error('Invalid function configuration: OUTBOUND_QUEUE_URL is not set');
  return new SqsDeliveryQueue(sqsClient(), config.outbound.queueUrl, config.outbound.deadLetterQueueUrl);
});

/** The retry schedule; locally OUTBOUND_RETRY_SCALE shrinks the waits (seconds become milliseconds) so a person sees retries happen. */
export function retryPolicy(): RetryPolicy {
  const scale = env().outbound.retryScale;
  return {
    ...DEFAULT_RETRY_POLICY,
    baseDelaySeconds: DEFAULT_RETRY_POLICY.baseDelaySeconds * scale,
    maxDelaySeconds: DEFAULT_RETRY_POLICY.maxDelaySeconds * scale,
  };
}

export function manageDeps(): ManageDeps {
  const config = env();
  return {
    endpoints: endpointStore(),
    deliveries: endpointStore(),
    secrets: endpointSecrets(),
    allowLoopback: config.outbound.allowLoopback,
    newId: () => `ep_${randomUUID().replaceAll('-', '')}`,
    randomKey: () => randomBytes(24).toString('base64'),
    now: systemClock,
  };
}

export function emitDeps(): EmitDeps {
  return {
    endpoints: endpointStore(),
    deliveries: endpointStore(),
    queue: deliveryQueue(),
    customers: customerHistory(),
    dashboardUrl: env().alerts.dashboardUrl,
    now: systemClock,
  };
}

/** A Zendesk ticket id on its alert, written like every alert change (conditionally on its revision). */
const recordFollowUp: FollowUpRecorder = async (alertId, followUp) => {
  const alerts = alertStore();
  const alert = await alerts.getAlert(alertId);
  if (!alert) return; // erased meanwhile
  await updateAlert(alerts, alert, (a) => ({ ...a, followUp }), alertRules());
};

/** Longer than one attempt (timeout plus bookkeeping), shorter than the function's timeout. */
const CLAIM_LEASE_SECONDS = 25;

export function deliverDeps(): DeliverDeps {
  const config = env();
  return {
    endpoints: endpointStore(),
    deliveries: endpointStore(),
    secrets: endpointSecrets(),
    sender: new FetchOutboundSender(),
    recordFollowUp,
    policy: retryPolicy(),
    language: config.alerts.language,
    allowLoopback: config.outbound.allowLoopback,
    leaseSeconds: CLAIM_LEASE_SECONDS,
    now: systemClock,
    random: Math.random,
  };
}
