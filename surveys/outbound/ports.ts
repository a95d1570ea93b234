/** Ports of the outbound endpoints (implemented in functions/adapters/, in memory in the tests). */
import type { Alert } from '../model.ts';
import type { Endpoint, EndpointConnection, OutboundEventType } from './endpoints.ts';
import type { OutboundEvent } from './events.ts';
import type { AttemptResult } from './routing.ts';

export interface EndpointStore {
  createEndpoint(endpoint: Endpoint): Promise<void>;
  getEndpoint(id: string): Promise<Endpoint | undefined>;
  listEndpoints(): Promise<Endpoint[]>;
  deleteEndpoint(id: string): Promise<void>;
  disableEndpoint(id: string, reason: string, at: string): Promise<void>;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead-lettered' | 'cancelled';

export interface Delivery {
  endpointId: string;
  eventId: string;
  type: OutboundEventType;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  lastError?: string;
  lastStatusCode?: number;
  nextAttemptAt?: string;
  deliveredAt?: string;
}

export type Claim = { claimed: true; attempt: number } | { claimed: false; why: 'done'; status: DeliveryStatus } | { claimed: false; why: 'busy' };

export interface DeliveryStore {
  /** Records the delivery as pending unless it is known already (a replayed record changes nothing). */
  notePending(delivery: { endpointId: string; eventId: string; type: OutboundEventType; at: string }): Promise<void>;
  /**
   * Claims the next attempt: refused when the delivery is finished (delivered, dead-lettered,
   * cancelled) or another worker holds an unexpired claim. The attempt number comes from the record,
   * so a message delivered twice by the queue is still one attempt.
   */
  claimAttempt(delivery: { endpointId: string; eventId: string; type: OutboundEventType }, now: string, leaseSeconds: number): Promise<Claim>;
  /** Records an attempt's outcome and releases the claim. */
  finishAttempt(
    key: { endpointId: string; eventId: string },
    outcome: { status: Exclude<DeliveryStatus, 'pending'>; at: string; lastError?: string; lastStatusCode?: number; nextAttemptAt?: string },
  ): Promise<void>;
  listDeliveries(endpointId: string, limit: number): Promise<Delivery[]>;
}

/** Where the connections (URLs, signing secrets, tokens) live: Secrets Manager on AWS, a local store locally. */
export interface EndpointSecrets {
  put(endpointId: string, connection: EndpointConnection): Promise<void>;
  get(endpointId: string): Promise<EndpointConnection | undefined>;
  delete(endpointId: string): Promise<void>;
}

export interface OutboundRequest {
  method: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Webhooks: sign per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). */
  signing?: { secret: string; messageId: string; timestamp: Date };
}

export interface OutboundSender {
  send(request: OutboundRequest): Promise<AttemptResult & { responseBody?: string }>;
}

export interface DeliveryJob {
  endpointId: string;
  event: OutboundEvent;
}

export interface DeliveryQueue {
  enqueue(jobs: DeliveryJob[]): Promise<void>;
}

/** Records the helpdesk follow-up on its alert (a Zendesk ticket id). */
export type FollowUpRecorder = (alertId: string, followUp: NonNullable<Alert['followUp']>) => Promise<void>;
