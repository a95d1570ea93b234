/**
 * Closing the loop from the dashboard, in a real browser (Debian's chromium through playwright-core):
 * a lead enters their name, takes an alert, and resolves another with a note and a root cause; the
 * API then says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { localDynamoClient } from '../../local/dynamodb.ts';
import { DynamoResponseStore } from '../../functions/adapters/dynamodb/response-store.ts';
import type { Alert, SurveyResponse } from '../../surveys/model.ts';
import { TEXTS } from '../../surveys/texts/index.ts';
import { waitFor } from '../support/http.ts';

function detractor(i: number, comment: string): SurveyResponse {
  const at = new Date(Date.now() - i * 60_000).toISOString();
  return {
    invitationId: `e2ealertdash${String(i).padStart(8, '0')}`,
    surveyId: 'csat-post-ticket',
    metric: 'csat',
    customerId: `dash-alert-${i}`,
    score: 1,
    comment,
    segments: { survey: 'csat-post-ticket', channel: 'email', locale: 'en', team: 'billing' },
    locale: 'en',
    subjectRef: `t-${i}`,
    status: 'final',
    version: 1,
    answeredAt: at,
    updatedAt: at,
  };
}

describe('the alerts panel of the dashboard', () => {
  let runtime: Runtime;
  let browser: Browser;
  let page: Page;
  const alert = async (id: string) => ((await (await fetch(`${runtime.apiUrl}/api/alerts?limit=500`)).json()) as Alert[]).find((a) => a.id === id);
  const row = (id: string) => page.locator(`#alerts tr[data-alert-id="${id}"]`);
  const t = TEXTS.en.dashboard.alertActions;

  beforeAll(async () => {
    runtime = await startTestRuntime();
    const db = DynamoDBDocumentClient.from(localDynamoClient(runtime.dynamoEndpoint), { marshallOptions: { removeUndefinedValues: true } });
    const store = new DynamoResponseStore(db, runtime.tableName);
    await store.putResponse(detractor(1, 'Nobody called back'), 0);
    await store.putResponse(detractor(2, '<img src=x onerror=alert(1)> still broken'), 0);
    await waitFor('both alerts', async () =>
      (await alert('detractor-e2ealertdash00000001')) && (await alert('detractor-e2ealertdash00000002')) ? true : undefined,
    );
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
    await page.goto(`${runtime.apiUrl}/dashboard?lang=en`);
    await page.waitForSelector('body[data-loaded]', { timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it('Should show the comments as text, not markup', async () => {
    // Assess
    expect(await row('detractor-e2ealertdash00000002').textContent()).toContain('<img src=x onerror=alert(1)> still broken');
    expect(await page.locator('#alerts img').count()).toBe(0);
  });

  it('Should ask for the name before taking an alert, then take it for that owner', async () => {
    // Act: without a name
    await row('detractor-e2ealertdash00000001').locator('button.ack').click();
    const refused = await page.textContent('#alert-action-error');
    await page.fill('#alert-owner', 'Ola (billing)');
    await row('detractor-e2ealertdash00000001').locator('button.ack').click();
    await page.waitForSelector('#alerts tr[data-alert-id="detractor-e2ealertdash00000001"][data-status="acked"]');

    // Assess
    expect(refused).toBe(t.ownerMissing);
    expect(await alert('detractor-e2ealertdash00000001')).toMatchObject({ status: 'acked', owner: 'Ola (billing)' });
    expect(await row('detractor-e2ealertdash00000001').textContent()).toContain('Taken by Ola (billing)');
  });

  it('Should resolve an alert with a note and a root cause, and take it off the panel', async () => {
    // Act
    await row('detractor-e2ealertdash00000002').locator('button.resolve').click();
    const form = page.locator('#alerts tr.resolve-form form');
    await form.locator('textarea[name="note"]').fill('Replaced the device, called the customer');
    await form.locator('select[name="rootCause"]').selectOption('product');
    await form.locator('button[type="submit"]').click();
    await page.waitForSelector('#alerts tr[data-alert-id="detractor-e2ealertdash00000002"]', { state: 'detached' });

    // Assess
    expect(await alert('detractor-e2ealertdash00000002')).toMatchObject({
      status: 'resolved',
      owner: 'Ola (billing)',
      resolution: { note: 'Replaced the device, called the customer', rootCause: 'product', by: 'Ola (billing)' },
    });
    expect(await page.locator('#alerts tr[data-alert-id]').count()).toBe(1);
  });
});
