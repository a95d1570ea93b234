/** Logs a Chromium page in to the dashboard through the real login page of the local provider, as a lead would. */
import type { Page } from 'playwright-core';
import type { Runtime } from '../../local/runtime.ts';

export async function logInOnDashboard(page: Page, runtime: Runtime, username: string, lang: 'en' | 'pl' = 'en'): Promise<void> {
  await page.goto(`${runtime.apiUrl}/dashboard?lang=${lang}`);
  await page.click('#login-button');
  await page.waitForURL(`${runtime.identity.issuer}/interaction/**`);
  await page.fill('#username', username);
  await page.fill('#password', runtime.identity.users.passwords.get(username) ?? '');
  await page.click('#login');
  await page.waitForSelector('#who:not([hidden])', { timeout: 60_000 });
  await page.waitForSelector('body[data-loaded]', { timeout: 60_000 });
}

/**
 * For tests about something else than the login: the page starts with a demo user's ID token in its
 * sessionStorage, where the dashboard keeps it after a login (login.js), minted with the provider's key.
 */
export async function withDemoLogin<P extends Page>(page: P, runtime: Runtime, username = 'adam'): Promise<P> {
  const token = await runtime.identity.idTokenFor(username);
  await page.addInitScript((value) => sessionStorage.setItem('ankieta.idToken', value), token);
  return page;
}
