/**
 * What the SES feedback function writes to its log (functions/email-feedback/handler.ts): a delivery, one per
 * e-mail sent, is recorded on its invitation and logged at DEBUG only; what changes an address stays at INFO.
 */
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { snsEventOf } from '../../functions/adapters/sns/sns-event.ts';
import { logger } from '../../functions/shared/logger.ts';
import { jsonLinesWritten } from '../support/logs.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'emailFeedback', awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' } as Context;

function sesEvent(kind: 'Bounce' | 'Delivery', extra: Record<string, unknown>) {
  return snsEventOf({
    eventType: kind,
    ...extra,
    mail: { messageId: '0100019a-ses-message', tags: { invitation: ['CCCCCCCCCCCCCCCCCCCCCC'] } },
  });
}

/** Our logger's lines written while `act` runs (not the EMF metric lines). */
async function messagesLogged(act: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  return (await jsonLinesWritten(act)).filter((line) => 'level' in line);
}

describe('the SES feedback function’s log', () => {
  let handler: (event: unknown, context: Context) => Promise<unknown>;
  beforeAll(async () => {
    vi.stubEnv('TABLE_NAME', 'ankieta-test');
    logger.setLogLevel('INFO');
    ({ handler } = await import('../../functions/email-feedback/handler.ts'));
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    logger.setLogLevel('ERROR');
  });
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({});
  });

  it('Should mark a delivery on its invitation without an INFO line', async () => {
    // Act
    const lines = await messagesLogged(() => handler(sesEvent('Delivery', { delivery: { timestamp: '2026-11-21T11:59:03.000Z' } }), context));

    // Assess
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1); // the funnel's deliveredAt mark
    expect(lines).toEqual([]);
  });

  it('Should still log at INFO a bounce that suppressed its address', async () => {
    // Act
    const lines = await messagesLogged(() =>
      handler(
        sesEvent('Bounce', {
          bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'john@example.com' }] },
        }),
        context,
      ),
    );

    // Assess
    expect(lines).toEqual([expect.objectContaining({ level: 'INFO', message: 'email feedback', status: 'suppressed' })]);
  });
});
