/**
 * A stand-in for the SES v2 and SNS endpoints that fails on cue: the real SDK clients (with their own
 * retry strategy) talk to it over HTTP, so a scripted fault travels the same road as a real one —
 * the SDK retries it or gives up, the adapter classifies it, the use case backs off or records it.
 *
 * Faults, consumed one per request in order (then every request succeeds):
 *   'throttling'  400 ThrottlingException          (SES/SNS rate limit, the SDK's generic name)
 *   'too-many'    429 TooManyRequestsException     (SES v2 sending rate)
 *   'reset'       the connection is cut before an answer (a transient network error: ECONNRESET)
 *   'unavailable' 503 ServiceUnavailable
 *   'rejected'    400 MessageRejected              (SES: permanent, the message itself is refused)
 * Point the SDK at it with AWS_ENDPOINT_URL_SESV2 / AWS_ENDPOINT_URL_SNS = provider.url.
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';

export type Fault = 'throttling' | 'too-many' | 'reset' | 'unavailable' | 'rejected';
export type Service = 'ses' | 'sns';

export interface Delivery {
  service: Service;
  /** SES: the recipient; SNS: the phone number or the topic. */
  to: string;
  subject?: string;
  /** SES: the invitation tag; SNS: the message body. */
  detail?: string;
  at: number;
}

export interface FaultyProviders {
  url: string;
  /** Requests seen, failed or not. */
  attempts: Record<Service, number>;
  /** Requests that succeeded: what actually went out. */
  delivered: Delivery[];
  /** Queues faults for the next requests to a service. */
  fail(service: Service, ...faults: Fault[]): void;
  /** Every request to the service fails with this fault until `recover` (an outage). */
  outage(service: Service, fault: Fault): void;
  recover(service: Service): void;
  close(): Promise<void>;
}

const SES_ERRORS: Record<Exclude<Fault, 'reset'>, { status: number; code: string; message: string }> = {
  throttling: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
  'too-many': { status: 429, code: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
  unavailable: { status: 503, code: 'ServiceUnavailable', message: 'Service unavailable' },
  rejected: { status: 400, code: 'MessageRejected', message: 'Email address is not verified.' },
};

const SNS_CODES: Record<Exclude<Fault, 'reset'>, { status: number; code: string }> = {
  throttling: { status: 400, code: 'Throttling' },
  'too-many': { status: 429, code: 'ThrottledException' },
  unavailable: { status: 503, code: 'ServiceUnavailable' },
  rejected: { status: 400, code: 'InvalidParameter' },
};

export async function startFaultyProviders(): Promise<FaultyProviders> {
  const queued: Record<Service, Fault[]> = { ses: [], sns: [] };
  const down: Partial<Record<Service, Fault>> = {};
  const attempts: Record<Service, number> = { ses: 0, sns: 0 };
  const delivered: Delivery[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const service: Service = (req.url ?? '').startsWith('/v2/email') ? 'ses' : 'sns';
      attempts[service]++;
      const fault = down[service] ?? queued[service].shift();
      // The test's clock, not Node's: a test that moves the clock must not look like clock skew (the SDK would retry to correct it).
      res.setHeader('date', new Date().toUTCString());
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      if (service === 'ses') {
        if (fault) {
          const e = SES_ERRORS[fault];
          res.writeHead(e.status, { 'content-type': 'application/json', 'x-amzn-errortype': e.code, 'x-amzn-requestid': randomUUID() });
          return res.end(JSON.stringify({ message: e.message }));
        }
        const mail = JSON.parse(body) as {
          Destination?: { ToAddresses?: string[] };
          Content?: { Simple?: { Subject?: { Data?: string } } };
          EmailTags?: Array<{ Name: string; Value: string }>;
        };
        delivered.push({
          service,
          to: mail.Destination?.ToAddresses?.[0] ?? '',
          subject: mail.Content?.Simple?.Subject?.Data,
          detail: mail.EmailTags?.find((t) => t.Name === 'invitation')?.Value,
          at: Date.now(),
        });
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
        return res.end(JSON.stringify({ MessageId: randomUUID() }));
      }
      const form = new URLSearchParams(body);
      if (fault) {
        const e = SNS_CODES[fault];
        res.writeHead(e.status, { 'content-type': 'text/xml' });
        return res.end(
          `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>scripted ${fault}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
      }
      delivered.push({
        service,
        to: form.get('PhoneNumber') ?? form.get('TopicArn') ?? '',
        subject: form.get('Subject') ?? undefined,
        detail: form.get('Message') ?? undefined,
        at: Date.now(),
      });
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    delivered,
    fail: (service, ...faults) => void queued[service].push(...faults),
    outage: (service, fault) => void (down[service] = fault),
    recover: (service) => void delete down[service],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
