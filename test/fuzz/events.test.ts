/**
 * POST /events under random input: requests mixing valid events (all four kinds, any text the
 * contract allows), the same events with one field broken, and junk. Valid entries are scheduled,
 * skipped with a reason, merged, cancelled or reported duplicate — and are in the table; broken ones
 * get a 400 result naming the field; the request answers 202 when one entry went through, 400
 * otherwise; never a 5xx. (test/support/fuzz-edges.ts has the judge; `npm run bench:fuzz` runs 10,000.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertEdge, FUZZ_TIMEOUT_MS, eventsEdge, type FuzzEdge } from '../support/fuzz-edges.ts';
import type { EventsRequest } from '../support/arbitraries.ts';
import { freshTable } from '../support/table.ts';

let edge: FuzzEdge<EventsRequest>;

beforeAll(async () => {
  edge = await eventsEdge(await freshTable());
});

describe('POST /events with random entries', () => {
  it(
    'Should process every valid entry and refuse every broken one by its field, never answering 5xx',
    async () => {
      // Act
      const outcomes = await assertEdge(edge, Number(process.env.FUZZ_RUNS ?? 300));

      // Assess: the run reached both answers, for single events and for lists
      expect([...outcomes.keys()]).toEqual(expect.arrayContaining(['202 one', '400 one', '202 several', '400 several']));
    },
    FUZZ_TIMEOUT_MS,
  );
});
