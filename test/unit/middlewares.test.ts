/** The house middy middlewares: HTTP error mapping, and SNS unwrap + quarantine. */
import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { snsEventOf } from '../../functions/adapters/sns/sns-event.ts';
import { type HttpEvent, HttpError, type HttpResult, json } from '../../functions/shared/http.ts';
import { httpErrors } from '../../functions/shared/middlewares/http-errors.ts';
import { forEachMessage, snsMessages } from '../../functions/shared/middlewares/sns-messages.ts';
import { logger } from '../../functions/shared/logger.ts';

logger.setLogLevel('SILENT'); // the 500 case logs its error on purpose

const EVENT = { routeKey: 'GET /x' } as unknown as HttpEvent;

describe('httpErrors', () => {
  it.each([
    ['an HttpError', new HttpError(404, 'no such alert'), 404, { error: 'no such alert' }],
    ['an HttpError with details', new HttpError(400, 'invalid query', ['metric: required']), 400, { error: 'invalid query', details: ['metric: required'] }],
    ['any other error, without its message', new Error('secret internals'), 500, { error: 'internal error; it has been logged' }],
  ])('Should answer %s with its status and a JSON body', async (_what, error, status, body) => {
    // Prepare
    const handler = middy(async (_event: HttpEvent): Promise<HttpResult> => {
      throw error;
    }).use(httpErrors());

    // Act
    const result = await handler(EVENT, {} as never);

    // Assess
    expect(result.statusCode).toBe(status);
    expect(JSON.parse(result.body ?? '')).toEqual(body);
  });

  it('Should let the handler answer an error its own way, and map the rest as usual', async () => {
    // Prepare
    const map = (error: unknown) => (error instanceof HttpError && error.statusCode === 413 ? json(413, { status: 'comment-too-long' }) : undefined);
    const failing = (error: Error) =>
      middy(async (_event: HttpEvent): Promise<HttpResult> => {
        throw error;
      }).use(httpErrors({ map }));

    // Act
    const own = await failing(new HttpError(413, 'too large'))(EVENT, {} as never);
    const usual = await failing(new HttpError(400, 'bad'))(EVENT, {} as never);

    // Assess
    expect([own.statusCode, JSON.parse(own.body ?? '')]).toEqual([413, { status: 'comment-too-long' }]);
    expect([usual.statusCode, JSON.parse(usual.body ?? '')]).toEqual([400, { error: 'bad' }]);
  });
});

describe('snsMessages', () => {
  const schema = z.object({ n: z.number() });
  function setup() {
    const kept: Array<{ source: string; reason: string; payload: unknown }> = [];
    const handled: number[] = [];
    const handler = middy(
      forEachMessage(async (data: { n: number }) => {
        handled.push(data.n);
        return { status: 'done', n: data.n };
      }),
    ).use(snsMessages({ source: 'test-source', schema, quarantine: async (source, reason, payload) => void kept.push({ source, reason, payload }) }));
    return { handler, kept, handled };
  }

  it('Should quarantine an event that is no SNS event, with the reason, and handle nothing', async () => {
    // Prepare
    const { handler, kept, handled } = setup();

    // Act
    const results = await handler({ Records: [] }, {} as never);

    // Assess
    expect(results).toEqual([{ status: 'quarantined', errors: [expect.stringMatching(/^Records/)] }]);
    expect(kept).toEqual([{ source: 'test-source', reason: expect.stringMatching(/^Records/), payload: { Records: [] } }]);
    expect(handled).toEqual([]);
  });

  it('Should hand over the valid messages in order and quarantine the others in their place', async () => {
    // Prepare
    const { handler, kept, handled } = setup();
    const event = snsEventOf({ n: 1 });
    event.Records.push(snsEventOf('not json').Records[0]!, snsEventOf({ n: 'two' }).Records[0]!, snsEventOf({ n: 3 }).Records[0]!);

    // Act
    const results = await handler(event, {} as never);

    // Assess
    expect(results).toEqual([
      { status: 'done', n: 1 },
      { status: 'quarantined', errors: ['(root): the SNS message is not JSON'] },
      { status: 'quarantined', errors: [expect.stringMatching(/^n: /)] },
      { status: 'done', n: 3 },
    ]);
    expect(handled).toEqual([1, 3]);
    expect(kept.map((k) => (k.payload as { message: string }).message)).toEqual(['not json', '{"n":"two"}']);
  });
});
