/**
 * What would leave through SNS (SMS and alerts) lands here locally. The local HTTP server speaks just
 * enough of the SNS query API (Action=Publish) for the real SNS adapters to publish to it unchanged.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';

export interface OutboxEntry {
  channel: 'sms' | 'alert';
  to: string;
  subject?: string;
  body: string;
  attributes: Record<string, string>;
  at: string;
  messageId: string;
}

export class Outbox {
  private readonly entries: OutboxEntry[] = [];

  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) this.entries.push(JSON.parse(line) as OutboxEntry);
    } catch {
      /* a first run has no outbox yet */
    }
  }

  list(channel?: 'sms' | 'alert'): OutboxEntry[] {
    return this.entries.filter((e) => !channel || e.channel === channel);
  }

  /** Handles an SNS Publish request (query protocol, form-encoded) and returns the XML answer. */
  publish(form: URLSearchParams): { status: number; xml: string } {
    if (form.get('Action') !== 'Publish') return { status: 400, xml: snsError('InvalidAction', `local SNS supports only Publish, not ${form.get('Action')}`) };
    const attributes: Record<string, string> = {};
    for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
      const name = form.get(`MessageAttributes.entry.${i}.Name`)!;
      if (!name.startsWith('AWS.SNS.')) attributes[name] = form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
    }
    const phone = form.get('PhoneNumber');
    const topic = form.get('TopicArn');
    if (!phone && !topic) return { status: 400, xml: snsError('InvalidParameter', 'PhoneNumber or TopicArn is required') };
    const entry: OutboxEntry = {
      channel: phone ? 'sms' : 'alert',
      to: phone ?? topic!,
      ...(form.get('Subject') ? { subject: form.get('Subject')! } : {}),
      body: form.get('Message') ?? '',
      attributes,
      at: new Date().toISOString(),
      messageId: randomUUID(),
    };
    this.entries.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    return {
      status: 200,
      xml: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${entry.messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    };
  }
}

function snsError(code: string, message: string): string {
  return `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}
