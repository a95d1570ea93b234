/**
 * GDPR erasure end to end on the local runtime: a customer answers (a detractor, with a comment), the
 * score is counted; `npm run erase -- --email …` (the CLI, against the runtime's DynamoDB Local) and
 * `POST /api/erasure` remove what names the customer; the score keeps its count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { waitFor } from '../support/http.ts';
import { invitationItems, PERSON_UA, sendSurvey, sleep, storedResponse, tableItem, type SentSurvey } from '../support/survey-links.ts';

let runtime: Runtime;
let ala: SentSurvey;
let ola: SentSurvey;

async function npsResponses(): Promise<number> {
  const scores = (await (await fetch(`${runtime.apiUrl}/api/scores?metric=nps&window=30d`)).json()) as { responses: number };
  return scores.responses;
}

/** A person opens their link, reads, and presses Send with a comment. */
async function answer(survey: SentSurvey, score: number, comment: string) {
  await fetch(survey.links.get(score)!, { headers: { 'user-agent': PERSON_UA } });
  await sleep(2_100);
  const posted = await fetch(survey.answerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': PERSON_UA, 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ score: String(score), evidence: 'button', comment }).toString(),
  });
  expect(posted.status).toBe(200);
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  [ala, ola] = await Promise.all([sendSurvey(runtime, 'gdpr-ala'), sendSurvey(runtime, 'gdpr-ola')]);
  await Promise.all([answer(ala, 3, 'Kurier zostawił paczkę u sąsiada, Ala Kowalska, ul. Polna 1'), answer(ola, 10, 'Super')]);
  await waitFor('both answers counted', async () => ((await npsResponses()) === 2 ? true : undefined), 20_000);
  await waitFor('the detractor alert', () => tableItem(runtime, `ALERT#detractor-${ala.invitationId}`, 'ALERT'), 20_000);
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('erasing a customer who answered', () => {
  it('Should erase by e-mail from the command line, against the local runtime, and keep the count', async () => {
    // Act
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/erase-customer.ts', '--email', ala.email, '--table', runtime.tableName], {
      env: { ...process.env, DYNAMODB_PORT: new URL(runtime.dynamoEndpoint).port },
    });
    await runtime.drainStream(); // every change of the erasure through the consumers (the aggregator among them)

    // Assess
    expect(JSON.parse(stdout)).toMatchObject({
      by: 'email',
      found: true,
      customers: [{ customerId: ala.customerId, profiles: 1, invitations: 1, responses: 1 }],
    });
    expect(await storedResponse(runtime, ala.invitationId)).toBeUndefined();
    expect(await invitationItems(runtime, ala.invitationId)).toEqual([]);
    expect(await tableItem(runtime, `CUST#${ala.customerId}`, 'PROFILE')).toBeUndefined();
    expect(await tableItem(runtime, `ALERT#detractor-${ala.invitationId}`, 'ALERT')).toBeUndefined();
    expect(await npsResponses()).toBe(2);
  });

  it('Should erase by customer id through POST /api/erasure, and keep the count', async () => {
    // Act
    const erased = await fetch(`${runtime.apiUrl}/api/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: ola.customerId }),
    });
    const again = await fetch(`${runtime.apiUrl}/api/customers/${ola.customerId}/erase`, { method: 'POST' });
    await runtime.drainStream(); // every change of the erasure through the consumers (the aggregator among them)

    // Assess
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({ found: true, customers: [{ customerId: ola.customerId, responses: 1 }] });
    expect(await again.json()).toMatchObject({ found: false });
    expect(await storedResponse(runtime, ola.invitationId)).toBeUndefined();
    expect(await npsResponses()).toBe(2);
  });

  it('Should answer 400 naming the field for an erasure request without a customer', async () => {
    // Act
    const refused = await fetch(`${runtime.apiUrl}/api/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ala' }),
    });

    // Assess
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/customerId|email/);
  });
});
