/**
 * Closing the loop from the dashboard, in a real browser (Debian's chromium through playwright-core),
 * as a named lead (issue 12): Lena Lead logs in through the local OpenID Connect provider's login page
 * (authorization code + PKCE), takes an alert, which then shows her name, and resolves another; a
 * viewer may look but not take one; Bartek, a lead of team billing, sees his team's alerts and switches to
 * all teams. The runtime requires a login of every caller here, as on AWS.
 */
import { launchChromium } from '../support/survey-links.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../../local/runtime.ts';
import { startTestRuntime } from '../support/runtime.ts';
import { localDynamoClient } from '../../local/dynamodb.ts';
import { DynamoResponseStore } from '../../functions/adapters/dynamodb/response-store.ts';
import type { Alert, SurveyResponse } from '../../surveys/model.ts';
import { TEXTS } from '../../surveys/texts/index.ts';
import { LOGIN_TEXTS } from '../../surveys/texts/dashboard-login.ts';
import { FUNNEL_TEXTS } from '../../surveys/texts/funnel-dashboard.ts';
import { waitFor } from '../support/http.ts';
import { authHeaders } from '../support/identity.ts';
import { logInOnDashboard } from '../support/browser-login.ts';

function detractor(i: number, comment: string, team = 'billing'): SurveyResponse {
  const at = new Date(Date.now() - i * 60_000).toISOString();
  return {
    invitationId: `e2ealertdash${String(i).padStart(8, '0')}`,
    surveyId: 'csat-post-ticket',
    metric: 'csat',
    customerId: `dash-alert-${i}`,
    score: 1,
    comment,
    segments: { survey: 'csat-post-ticket', channel: 'email', locale: 'en', team },
    locale: 'en',
    subjectRef: `t-${i}`,
    status: 'final',
    version: 1,
    answeredAt: at,
    updatedAt: at,
  };
}

describe('the alerts panel of the dashboard, for a lead who logged in', () => {
  let runtime: Runtime;
  let browser: Browser;
  let page: Page;
  const alert = async (id: string) =>
    ((await (await fetch(`${runtime.apiUrl}/api/alerts?limit=500`, { headers: await authHeaders(runtime.identity) })).json()) as Alert[]).find(
      (a) => a.id === id,
    );
  const row = (id: string) => page.locator(`#alerts tr[data-alert-id="${id}"]`);
  const t = TEXTS.en.dashboard.alertActions;
  const logOut = async () => {
    await page.click('#logout');
    await page.waitForURL(`${runtime.identity.issuer}/session/end**`);
    await page.click('#logout'); // the provider's "Log out of ankieta?" page
    await page.waitForSelector('#login-panel:not([hidden])');
  };

  beforeAll(async () => {
    runtime = await startTestRuntime({ login: 'everyone' });
    const db = DynamoDBDocumentClient.from(localDynamoClient(runtime.dynamoEndpoint), { marshallOptions: { removeUndefinedValues: true } });
    const store = new DynamoResponseStore(db, runtime.tableName);
    await store.putResponse(detractor(1, 'Nobody called back'), 0);
    await store.putResponse(detractor(2, '<img src=x onerror=alert(1)> still broken'), 0);
    await store.putResponse(detractor(3, 'Still waiting'), 0);
    await store.putResponse(detractor(4, 'Parcel lost', 'shipping'), 0);
    await waitFor(
      'four alerts',
      async () => ((await Promise.all([1, 2, 3, 4].map((i) => alert(`detractor-e2ealertdash0000000${i}`)))).every(Boolean) ? true : undefined),
      60_000, // the machine is shared: raising four alerts may take a while
    );
    browser = await launchChromium();
    page = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it('Should ask to log in before showing anything, the API answering 401 without a token', async () => {
    // Act
    await page.goto(`${runtime.apiUrl}/dashboard?lang=en`);
    await page.waitForSelector('#login-panel:not([hidden])');
    const anonymous = await fetch(`${runtime.apiUrl}/api/alerts`);

    // Assess
    expect(await page.textContent('#login-panel')).toContain(LOGIN_TEXTS.en.prompt);
    expect(await page.locator('#alerts tr[data-alert-id]').count()).toBe(0);
    expect(anonymous.status).toBe(401);
  });

  it('Should log Lena Lead in through the login page and show who is logged in', async () => {
    // Act
    await logInOnDashboard(page, runtime, 'lena');

    // Assess
    expect(await page.textContent('#who')).toBe('Lena Lead (lead)');
    expect(new URL(page.url()).search).toBe('?lang=en'); // the code and state are gone from the address bar
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]); // the token lives in this tab only
  }, 120_000);

  it("Should show a lead without a team every team's alerts and no switch between views", async () => {
    // Assess
    expect(await page.locator('#alert-team').isHidden()).toBe(true);
    expect(await page.locator('#alert-team input').count()).toBe(0);
    expect(await row('detractor-e2ealertdash00000003').count()).toBe(1);
    expect(await row('detractor-e2ealertdash00000004').count()).toBe(1);
  });

  it('Should show the comments as text, not markup', async () => {
    // Assess
    expect(await row('detractor-e2ealertdash00000002').textContent()).toContain('<img src=x onerror=alert(1)> still broken');
    expect(await page.locator('#alerts img').count()).toBe(0);
  });

  it("Should take an alert in the lead's name, without asking for one", async () => {
    // Act
    await row('detractor-e2ealertdash00000001').locator('button.ack').click();
    await page.waitForSelector('#alerts tr[data-alert-id="detractor-e2ealertdash00000001"][data-status="acked"]');

    // Assess
    expect(await alert('detractor-e2ealertdash00000001')).toMatchObject({ status: 'acked', owner: 'Lena Lead' });
    expect(await row('detractor-e2ealertdash00000001').textContent()).toContain(t.acked.replace('{owner}', 'Lena Lead'));
  });

  it('Should resolve an alert with a note and a root cause in her name, and take it off the panel', async () => {
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
      owner: 'Lena Lead',
      resolution: { note: 'Replaced the device, called the customer', rootCause: 'product', by: 'Lena Lead' },
    });
  });

  it('Should log out, and let a viewer see the alerts but not take one', async () => {
    // Act
    await logOut();
    await logInOnDashboard(page, runtime, 'vera');
    await row('detractor-e2ealertdash00000003').locator('button.ack').click();
    await page.waitForSelector('#alert-action-error:not([hidden])');

    // Assess
    expect(await page.textContent('#who')).toBe('Vera Viewer (viewer)');
    expect(await page.textContent('#alert-action-error')).toContain(LOGIN_TEXTS.en.forbidden);
    expect(await alert('detractor-e2ealertdash00000003')).toMatchObject({ status: 'open' });
  }, 120_000);

  it("Should show Bartek his team's alerts first, then every team's once he switches with the keyboard", async () => {
    // Prepare
    const teamView = FUNNEL_TEXTS.en.alerts.teamView;
    await logOut();
    await logInOnDashboard(page, runtime, 'bartek');
    const mine = {
      legend: await page.locator('#alert-team legend').textContent(),
      checked: await page.getByRole('radio', { name: teamView.mine.replace('{team}', 'billing') }).isChecked(),
      billing: await row('detractor-e2ealertdash00000003').count(),
      shipping: await row('detractor-e2ealertdash00000004').count(),
    };

    // Act
    await page.focus('#alert-team-mine');
    await page.keyboard.press('ArrowDown'); // a radio group: the arrow keys choose
    await page.waitForSelector('#alerts tr[data-alert-id="detractor-e2ealertdash00000004"]');

    // Assess
    expect(mine).toEqual({ legend: teamView.legend, checked: true, billing: 1, shipping: 0 });
    expect(await page.getByRole('radio', { name: teamView.all }).isChecked()).toBe(true);
    expect(await row('detractor-e2ealertdash00000003').count()).toBe(1);
  }, 120_000);

  it('Should keep all teams chosen when the panel redraws after Bartek takes an alert of another team', async () => {
    // Act
    await row('detractor-e2ealertdash00000004').locator('button.ack').click();
    await page.waitForSelector('#alerts tr[data-alert-id="detractor-e2ealertdash00000004"][data-status="acked"]');

    // Assess
    expect(await page.isChecked('#alert-team-all')).toBe(true);
    expect(await alert('detractor-e2ealertdash00000004')).toMatchObject({ status: 'acked', owner: 'Bartek Billing' });
    expect(await row('detractor-e2ealertdash00000003').count()).toBe(1);
  });

  it("Should go back to his team's view when Bartek chooses his team again", async () => {
    // Act
    await page.check('#alert-team-mine');
    await page.waitForSelector('#alerts tr[data-alert-id="detractor-e2ealertdash00000004"]', { state: 'detached' });

    // Assess
    expect(await row('detractor-e2ealertdash00000003').count()).toBe(1);
  });
});
