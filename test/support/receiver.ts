/**
 * A real HTTP receiver on 127.0.0.1 for outbound deliveries: records every request, answers what the
 * test tells it to, and checks Standard Webhooks signatures with the `standardwebhooks` library itself
 * (not the code under test).
 */
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  status: number;
  /** For webhooks: the signature verified with the endpoint's secret (undefined when no secret is known for the path). */
  verified?: boolean;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests answered 2xx. */
  accepted(path?: string): Received[];
  /** The signing secret of the endpoint posting to `path`. */
  secrets: Map<string, string>;
  /** What to answer: by default 200 (201 for a Zendesk ticket creation, with a ticket id). */
  answer: (req: { method: string; path: string; body: string }) => { status: number; body?: string };
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const secrets = new Map<string, string>();
  const receiver: Receiver = {
    url: '',
    received,
    secrets,
    accepted: (path) => received.filter((r) => r.status < 300 && (!path || r.path === path)),
    answer: (req) =>
      req.method === 'POST' && req.path.endsWith('/api/v2/tickets.json')
        ? { status: 201, body: JSON.stringify({ ticket: { id: 4242 } }) }
        : { status: 200, body: 'ok' },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const secret = secrets.get(path);
    let verified: boolean | undefined;
    if (secret) {
      try {
        new Webhook(secret).verify(body, headers);
        verified = true;
      } catch {
        verified = false;
      }
    }
    const out = receiver.answer({ method: req.method ?? 'GET', path, body });
    received.push({ method: req.method ?? 'GET', path, headers, body, at: Date.now(), status: out.status, ...(verified !== undefined ? { verified } : {}) });
    res.writeHead(out.status, { 'content-type': 'application/json' });
    res.end(out.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return receiver;
}
