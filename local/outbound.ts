/**
 * Local hosting of what the outbound endpoints use on AWS: the SQS queues of QUEUE_CONSUMERS (with
 * their dead-letter queues) and Secrets Manager, behind the local HTTP server, addressed by the SDK
 * through AWS_ENDPOINT_URL_SQS / _SECRETS_MANAGER. The functions run unchanged; only the endpoints
 * differ. Locally receivers may be http://127.0.0.1:* and the retry schedule is shortened (seconds
 * become tens of milliseconds) so that a person sees retries and dead letters happen.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { QUEUE_CONSUMERS, type FunctionName } from '../functions/manifest.ts';
import { LocalQueue, LocalQueueHost } from './queue.ts';
import { LocalSecrets } from './secrets.ts';

export interface LocalOutboundOptions {
  apiPort: number;
  dataDir?: string;
  /** Multiplies the retry schedule's waits (OUTBOUND_RETRY_SCALE); 1/100 by default locally. */
  retryScale?: number;
  log: (line: string) => void;
}

export function localOutbound(options: LocalOutboundOptions) {
  const base = `http://127.0.0.1:${options.apiPort}/local`;
  const host = new LocalQueueHost();
  const secrets = new LocalSecrets(options.dataDir ? join(options.dataDir, 'endpoint-secrets.json') : undefined);
  const consumers = QUEUE_CONSUMERS.map((c) => {
    const deadLetter = host.add(new LocalQueue(`${c.queue}-dlq`, `${base}/sqs/${c.queue}-dlq`, { visibilityTimeoutSeconds: 30 }));
    const queue = host.add(
      new LocalQueue(c.queue, `${base}/sqs/${c.queue}`, {
        visibilityTimeoutSeconds: c.visibilityTimeoutSeconds,
        maxReceiveCount: c.maxReceiveCount,
        deadLetter,
      }),
    );
    const file = options.dataDir ? join(options.dataDir, `queue-${c.queue}.json`) : undefined;
    if (file) queue.load(file);
    return { subscription: c, queue, deadLetter, file };
  });

  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_SQS: `${base}/sqs`,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `${base}/secretsmanager`,
    OUTBOUND_ALLOW_LOOPBACK: 'true',
    OUTBOUND_RETRY_SCALE: String(options.retryScale ?? 0.01),
    OUTBOUND_SECRET_PREFIX: 'ankieta/endpoints/',
  };
  for (const c of consumers) {
    env[c.subscription.urlEnv] = c.queue.url;
    env[c.subscription.deadLetterUrlEnv] = c.deadLetter.url;
  }

  /** Answers SQS and Secrets Manager calls (by their `x-amz-target`); false for anything else. */
  const route = (req: IncomingMessage, res: ServerResponse, body: Buffer): boolean => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !/^(AmazonSQS|secretsmanager)\./.test(target)) return false;
    const out = target.startsWith('AmazonSQS.') ? host.handle(target, body.toString('utf8')) : secrets.handle(target, body.toString('utf8'));
    res.writeHead(out.status, { 'content-type': target.startsWith('AmazonSQS.') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(out.body));
    return true;
  };

  return {
    env,
    route,
    queues: Object.fromEntries(consumers.map((c) => [c.subscription.queue, { queue: c.queue, deadLetter: c.deadLetter }])),
    start(handlers: Record<FunctionName, (event: unknown) => Promise<unknown>>) {
      for (const c of consumers) {
        host.start(c.queue, handlers[c.subscription.fn], {
          batchSize: c.subscription.batchSize,
          everyMs: c.subscription.localPollMs,
          // One invocation at a time, as in one Lambda container: a handler's module state (Powertools'
          // BatchProcessor) belongs to one invocation. Each batch's jobs run in parallel inside it.
          concurrency: 1,
          onError: (e) => options.log(`${c.subscription.fn} failed (the batch comes back): ${e.message}`),
        });
      }
    },
    /** Runs the consumers until their queues are empty (or `timeoutMs` passes): for tests driving the runtime by hand. */
    async drain(handlers: Record<FunctionName, (event: unknown) => Promise<unknown>>, timeoutMs = 10_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      for (const c of consumers) {
        while (c.queue.size && Date.now() < until) {
          const n = await host.pollOnce(c.queue, handlers[c.subscription.fn], c.subscription.batchSize);
          if (!n) await new Promise((r) => setTimeout(r, Math.max(5, Math.min(50, c.queue.nextVisibleIn() ?? 50))));
        }
      }
    },
    async stop() {
      await host.stop();
      for (const c of consumers) if (c.file) c.queue.save(c.file);
    },
  };
}
