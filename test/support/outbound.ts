/** Factories and in-memory ports for the outbound endpoint tests. */
import type { Endpoint, EndpointConnection } from '../../surveys/outbound/endpoints.ts';
import type { AlertEventData, OutboundEvent } from '../../surveys/outbound/events.ts';
import type { Claim, Delivery, DeliveryStore, EndpointSecrets, EndpointStore } from '../../surveys/outbound/ports.ts';

export function endpoint(overrides: Partial<Endpoint> = {}): Endpoint {
  return {
    id: 'ep-1',
    kind: 'webhook',
    urlHint: 'https://hooks.example.com/ankieta',
    events: ['alert.created', 'alert.acknowledged', 'alert.resolved', 'response.created', 'response.updated', 'contact.unsubscribed'],
    trusted: false,
    status: 'active',
    createdAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

export function alertCreatedEvent(overrides: Partial<AlertEventData> = {}): Extract<OutboundEvent, { data: AlertEventData }> {
  return {
    id: 'msg_alert_detractor-inv-1_created',
    type: 'alert.created',
    timestamp: '2026-12-01T10:00:00.000Z',
    data: {
      alertId: 'detractor-inv-1',
      kind: 'detractor',
      status: 'open',
      survey: 'nps-post-purchase',
      metric: 'nps',
      score: 2,
      comment: 'The parcel came broken',
      segments: { team: 'support', store: 'web' },
      subjectRef: 'o-9',
      createdAt: '2026-12-01T09:59:00.000Z',
      customer: { id: 'c-1', name: 'Ala', maskedContact: 'a***@example.com' },
      url: 'https://x.example/dashboard#alert=detractor-inv-1',
      ...overrides,
    },
  };
}

export class InMemoryOutbound implements EndpointStore, DeliveryStore, EndpointSecrets {
  readonly endpoints = new Map<string, Endpoint>();
  readonly deliveries = new Map<string, Delivery & { claimUntil?: string }>();
  readonly secrets = new Map<string, EndpointConnection>();

  async createEndpoint(e: Endpoint) {
    this.endpoints.set(e.id, e);
  }
  async getEndpoint(id: string) {
    return this.endpoints.get(id);
  }
  async listEndpoints() {
    return [...this.endpoints.values()];
  }
  async deleteEndpoint(id: string) {
    this.endpoints.delete(id);
  }
  async disableEndpoint(id: string, reason: string, at: string) {
    const e = this.endpoints.get(id);
    if (e) this.endpoints.set(id, { ...e, status: 'disabled', disabledReason: reason, updatedAt: at });
  }
  async notePending(d: { endpointId: string; eventId: string; type: Delivery['type']; at: string }) {
    const k = `${d.endpointId}|${d.eventId}`;
    if (!this.deliveries.has(k)) this.deliveries.set(k, { ...d, status: 'pending', attempts: 0, createdAt: d.at, updatedAt: d.at });
  }
  async claimAttempt(d: { endpointId: string; eventId: string; type: Delivery['type'] }, now: string, leaseSeconds: number): Promise<Claim> {
    const k = `${d.endpointId}|${d.eventId}`;
    const current = this.deliveries.get(k) ?? { ...d, status: 'pending' as const, attempts: 0, createdAt: now, updatedAt: now };
    if (['delivered', 'dead-lettered', 'cancelled'].includes(current.status)) return { claimed: false, why: 'done', status: current.status };
    if (current.claimUntil && current.claimUntil > now) return { claimed: false, why: 'busy' };
    const attempt = current.attempts + 1;
    this.deliveries.set(k, { ...current, attempts: attempt, claimUntil: new Date(Date.parse(now) + leaseSeconds * 1000).toISOString() });
    return { claimed: true, attempt };
  }
  async finishAttempt(key: { endpointId: string; eventId: string }, o: Parameters<DeliveryStore['finishAttempt']>[1]) {
    const k = `${key.endpointId}|${key.eventId}`;
    const { claimUntil: _c, ...current } = this.deliveries.get(k)!;
    this.deliveries.set(k, { ...current, ...o, updatedAt: o.at, ...(o.status === 'delivered' ? { deliveredAt: o.at } : {}) });
  }
  async listDeliveries(endpointId: string) {
    return [...this.deliveries.values()].filter((d) => d.endpointId === endpointId);
  }
  async put(id: string, c: EndpointConnection) {
    this.secrets.set(id, c);
  }
  async get(id: string) {
    return this.secrets.get(id);
  }
  async delete(id: string) {
    this.secrets.delete(id);
  }
}
