/**
 * The one set of in-memory ports shared by the unit tests of the use cases (the alert ports are in
 * in-memory-alerts.ts): each with the conditional semantics of its DynamoDB adapter.
 */
import type { Invitation, SurveyResponse } from '../../surveys/model.ts';
import { type Channel, ConcurrentUpdateError, type HeldAnswer, type HeldAnswerStore, type ResponseStore } from '../../surveys/ports.ts';

/** A ResponseStore with the adapter's semantics: putResponse writes only over the expected version (0 = none yet), else ConcurrentUpdateError. */
export class InMemoryResponseStore implements ResponseStore {
  readonly invitations = new Map<string, Invitation>();
  readonly responses = new Map<string, SurveyResponse>();
  readonly calls = { getInvitation: 0, getResponse: 0, putResponse: 0 };
  /** Every response actually written, in order. */
  readonly written: SurveyResponse[] = [];
  /** Runs before each put is checked: lets a test commit a concurrent request first. */
  beforePut?: (next: SurveyResponse, call: number) => void;

  async getInvitation(invitationId: string): Promise<Invitation | undefined> {
    this.calls.getInvitation++;
    const found = this.invitations.get(invitationId);
    return found && structuredClone(found);
  }

  async getResponse(invitationId: string): Promise<SurveyResponse | undefined> {
    this.calls.getResponse++;
    const found = this.responses.get(invitationId);
    return found && structuredClone(found);
  }

  async putResponse(next: SurveyResponse, expectedVersion: number): Promise<void> {
    this.calls.putResponse++;
    this.beforePut?.(next, this.calls.putResponse);
    const current = this.responses.get(next.invitationId);
    if ((current?.version ?? 0) !== expectedVersion) throw new ConcurrentUpdateError(`response ${next.invitationId}`);
    this.responses.set(next.invitationId, structuredClone(next));
    this.written.push(structuredClone(next));
  }

  get totalCalls(): number {
    return this.calls.getInvitation + this.calls.getResponse + this.calls.putResponse;
  }
}

/** Suppression list, short links, SMS threads and kept inbound SMS, as the contact store keeps them. */
export class InMemoryContacts {
  /** Suppressed contacts (address or number → reason), as suppressionsFor reads them. */
  readonly suppressions = new Map<string, string>();
  /** Every suppress() call, in order. */
  readonly suppressed: Array<{ channel: string; contact?: string; reason: string }> = [];
  readonly shortLinks = new Map<string, string>();
  /** Phone number → the invitation of the latest SMS survey sent to it. */
  readonly threads = new Map<string, string>();
  readonly kept: Array<{ invitationId?: string; body: string; reason: string }> = [];

  async suppressionsFor(c: { email?: string; phone?: string }): Promise<Partial<Record<Channel, string>>> {
    const email = c.email && this.suppressions.get(c.email);
    const sms = c.phone && this.suppressions.get(c.phone);
    return { ...(email ? { email } : {}), ...(sms ? { sms } : {}) };
  }
  async suppress(entry: { channel: string; contact?: string; reason: string }) {
    this.suppressed.push({ channel: entry.channel, contact: entry.contact, reason: entry.reason });
    if (entry.contact) this.suppressions.set(entry.contact, entry.reason);
  }
  async putShortLink(code: string, invitationId: string) {
    this.shortLinks.set(code, invitationId);
  }
  async rememberSmsThread(phone: string, invitationId: string) {
    this.threads.set(phone, invitationId);
  }
  async latestSmsInvitation(phone: string) {
    return this.threads.get(phone);
  }
  async keepInboundSms(reply: { invitationId?: string; body: string; reason: string }) {
    this.kept.push({ ...(reply.invitationId ? { invitationId: reply.invitationId } : {}), body: reply.body, reason: reply.reason });
  }
}

/** Held dwell answers (the link-activity adapter's part): one per invitation, released only by the hold that wrote it. */
export class InMemoryHeld implements HeldAnswerStore {
  readonly held = new Map<string, HeldAnswer>();
  async hold(invitationId: string, held: HeldAnswer) {
    this.held.set(invitationId, { ...held });
  }
  async getHeld(invitationId: string) {
    return this.held.get(invitationId);
  }
  async release(invitationId: string, heldAt: number) {
    if (this.held.get(invitationId)?.heldAt === heldAt) this.held.delete(invitationId);
  }
  async listDue(now: Date) {
    return [...this.held].filter(([, h]) => h.confirmAt <= now.getTime()).map(([id]) => id);
  }
}
