/**
 * Lambda event filter criteria of the stream consumers, derived from the key constants (./keys.ts).
 * The CDK event source mappings (through functions/manifest.ts), the local stream reader
 * (local/stream-filter.ts) and the tests all apply exactly these. Lambda filter pattern syntax.
 */
import { ENTITY, SK } from './keys.ts';

/** Stream records the response consumers (aggregator, alerts) receive: final responses only, so the
 * aggregator's own bucket writes never trigger it. */
export const FINAL_RESPONSE_FILTER = {
  dynamodb: {
    NewImage: {
      sk: { S: [SK.response] },
      status: { S: ['final'] },
    },
  },
} as const;

/** Final responses that are not history (no `history` attribute: not brought in by scripts/import-history.ts):
 * the consumers that act on a person or a live count (alerts, customer health, funnel, outbound) take
 * these, while scores and insights take every final response. `exists` works on leaf nodes only, hence `S`. */
export const LIVE_RESPONSE_FILTER = {
  dynamodb: {
    NewImage: {
      ...FINAL_RESPONSE_FILTER.dynamodb.NewImage,
      history: { S: [{ exists: false }] },
    },
  },
} as const;

/** Live final responses that can have a detractor alert (this or an earlier version scored a detractor:
 * `everDetractor`, kept by surveys/use-cases/record-response.ts): the alert consumer's. The others would
 * each cost an invocation, two reads and a trace to learn there is nothing to do. */
export const DETRACTOR_RESPONSE_FILTER = {
  dynamodb: {
    NewImage: {
      ...LIVE_RESPONSE_FILTER.dynamodb.NewImage,
      everDetractor: { BOOL: [true] },
    },
  },
} as const;

/** Commerce events as they are first recorded (their EVENT dedupe items): customer health reads them. */
export const COMMERCE_EVENT_FILTER = {
  eventName: ['INSERT'],
  dynamodb: {
    NewImage: {
      sk: { S: [SK.event] },
      entity: { S: [ENTITY.event] },
    },
  },
} as const;
