/**
 * The settings file reaches the sent mail: an order of a store with its own brand and sender, from a
 * Polish customer, goes through the trigger and the due sweep (DynamoDB Local, the real handlers) to
 * SES (aws-sdk-client-mock): From is the store's sender under its brand, the question is the configured
 * Polish wording with the brand filled in. A store without its own settings keeps the shop's defaults.
 */
import { SendEmailCommand, type SendEmailCommandInput, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../../surveys/settings/load.ts';
import { localContext } from '../../local/lambda-context.ts';
import { freshTable } from '../support/table.ts';
import { configureFor, handlerOf } from '../support/functions.ts';

const ses = mockClient(SESv2Client);
type Handler = (event: unknown, context: unknown) => Promise<unknown>;
let trigger: Handler;
let sendDue: Handler;

const SETTINGS = {
  brand: 'Sklep Ali',
  sender: 'ankiety@sklep-ali.pl',
  stores: { 'outlet-ali.myshopify.com': { brand: 'Outlet Ali & Syn', sender: 'ankiety@outlet-ali.pl' } },
  questions: { pl: { nps: 'Czy poleciłbyś {brand} komuś bliskiemu?' } },
};

beforeAll(async () => {
  const table = await freshTable();
  configureFor(table, {
    CONTACT_HASH_KEY: 'settings-send-test-key-0123456789abcdef',
    LINK_SECRET: 'settings-send-link-secret-0123456789abcdef',
    SURVEY_DELAY_SCALE: '0.000001',
    SENDER_EMAIL: 'fallback@shop.example',
  });
  (await import('../../functions/shared/settings.ts')).configureSettings(parseSettings(JSON.stringify(SETTINGS), 'test settings'));
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
  trigger = await handlerOf<Handler>('trigger-survey');
  sendDue = await handlerOf<Handler>('send-due');
});
afterAll(() => ses.restore());

function delivered(n: number, store: string, locale: string) {
  return {
    source: 'shop.example',
    'detail-type': 'order.delivered',
    detail: {
      eventId: `settings-${n}`,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      customer: { id: `c-settings-${n}`, email: `settings-${n}@example.com`, locale },
      order: { id: `o-settings-${n}`, store },
    },
  };
}

async function mailTo(address: string): Promise<SendEmailCommandInput> {
  const sent = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
  const mail = sent.find((m) => m.Destination?.ToAddresses?.includes(address));
  if (!mail) throw new Error(`no mail to ${address} among ${sent.length}`);
  return mail;
}

describe('settings in the sent mail', () => {
  it("Should send from the store's sender under its brand, asking the configured question in the customer's language", async () => {
    // Prepare
    await trigger(delivered(1, 'outlet-ali.myshopify.com', 'pl-PL'), localContext('triggerSurvey'));
    await trigger(delivered(2, 'web', 'en-GB'), localContext('triggerSurvey'));

    // Act
    await sendDue({}, localContext('sendDue'));

    // Assess
    const outlet = await mailTo('settings-1@example.com');
    expect(outlet.FromEmailAddress).toBe('"Outlet Ali & Syn" <ankiety@outlet-ali.pl>');
    expect(outlet.Content?.Simple?.Body?.Text?.Data).toContain('Czy poleciłbyś Outlet Ali & Syn komuś bliskiemu?');
    expect(outlet.Content?.Simple?.Body?.Html?.Data).toContain('Czy poleciłbyś Outlet Ali &amp; Syn komuś bliskiemu?');
    const shop = await mailTo('settings-2@example.com');
    expect(shop.FromEmailAddress).toBe('"Sklep Ali" <ankiety@sklep-ali.pl>');
    expect(shop.Content?.Simple?.Body?.Text?.Data).toContain('How likely are you to recommend Sklep Ali');
  });
});
