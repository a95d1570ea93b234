/**
 * The surveys settings file: defaults equal to the code's, errors a person can act on (file, line,
 * field, allowed values), the committed JSON Schema in step with the zod schema, the documented example valid.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaText, SCHEMA_FILE } from '../../scripts/settings-schema.ts';
import { DEFAULT_CATALOGUE } from '../../surveys/catalogue.ts';
import { DEFAULT_POLICY, decideEligibility, intoSendWindow } from '../../surveys/eligibility.ts';
import { brandFor, catalogueOf, policyOf, questionFor, senderFor } from '../../surveys/settings/apply.ts';
import { parseSettings, SettingsError } from '../../surveys/settings/load.ts';

const problemsOf = (text: string): string[] => {
  try {
    parseSettings(text, 'acme.json');
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected the settings to be refused');
};

describe('defaults', () => {
  it.each([
    { name: 'an empty file', text: '{}' },
    { name: 'the committed surveys.settings.json', text: readFileSync('surveys.settings.json', 'utf8') },
  ])('Should give the catalogue and policy of the code for $name', ({ text }) => {
    // Act
    const settings = parseSettings(text);

    // Assess
    expect(catalogueOf(settings)).toEqual(DEFAULT_CATALOGUE);
    expect(policyOf(settings)).toEqual({ ...DEFAULT_POLICY, emailWindows: [] });
    expect(brandFor(settings, undefined)).toBe('ankieta shop');
  });
});

describe('the annotated example of docs/settings.md', () => {
  const example = /```json\n([\s\S]*?)\n```/.exec(readFileSync('docs/settings.md', 'utf8'))![1]!;

  it('Should be valid and mean what the page says', () => {
    // Act
    const settings = parseSettings(example, 'docs/settings.md');
    const catalogue = catalogueOf(settings);

    // Assess
    expect(brandFor(settings, 'outlet-ali.myshopify.com')).toBe('Outlet Ali');
    expect(senderFor(settings, 'unknown-store')).toBe('ankiety@sklep-ali.pl');
    expect(catalogue.find((s) => s.id === 'csat-post-ticket')).toMatchObject({ sampleRate: 0.2, reminderAfterHours: 48, delaySeconds: 86_400 });
    expect(catalogue.find((s) => s.id === 'ces-post-ticket')).toMatchObject({ companionOf: 'csat-post-ticket', when: { teams: ['Billing'] } });
    expect(questionFor(settings, 'pl', 'nps')).toContain('{brand}');
    expect(policyOf(settings).emailWindows).toEqual([{ days: [1, 2, 3, 4, 5], fromMinute: 540, toMinute: 1080 }]);
  });
});

describe('the settings a function bundles', () => {
  const example = /```json\n([\s\S]*?)\n```/.exec(readFileSync('docs/settings.md', 'utf8'))![1]!;

  it.each([
    { name: 'an empty file', text: '{}' },
    { name: 'the committed surveys.settings.json', text: readFileSync('surveys.settings.json', 'utf8') },
    { name: 'the annotated example of docs/settings.md', text: example },
  ])('Should read as it was validated for $name: the synth bundles the validated JSON, which the functions read without the schema', ({ text }) => {
    // Prepare: what infra/survey-pipeline-stack.ts bundles (functions/shared/settings.ts reads it back with JSON.parse)
    const bundled = JSON.stringify(parseSettings(text));

    // Act
    const validatedAgain = parseSettings(bundled);

    // Assess
    expect(JSON.parse(bundled)).toEqual(validatedAgain);
  });
});

describe('errors', () => {
  it('Should name the line, the field and the allowed values or fields', () => {
    // Prepare
    const text = `{
  "surveys": [
    { "id": "nps", "trigger": "order.delivered", "metric": "nps", "channels": ["email"] },
    { "id": "csat", "trigger": "ticket.solved", "metric": "csat", "channels": ["fax"], "dealy": "1d" }
  ]
}`;

    // Act
    const problems = problemsOf(text);

    // Assess
    expect(problems).toEqual([
      'acme.json:4:80 surveys[1].channels[0]: "fax" is not allowed; allowed: "email", "sms"',
      expect.stringMatching(/^acme\.json:4:88 surveys\[1\]: unknown field "dealy"; allowed: id, trigger, metric, channels, delay, linkValidity/),
    ]);
  });

  it.each([
    {
      name: 'a duration without a unit',
      text: '{ "surveys": [{ "id": "a", "trigger": "ticket.solved", "metric": "csat", "channels": ["email"], "delay": "3" }] }',
      expected: /surveys\[0\]\.delay: .*a duration such as "3d"/,
    },
    {
      name: 'a sampling share over 100',
      text: '{ "surveys": [{ "id": "a", "trigger": "ticket.solved", "metric": "csat", "channels": ["email"], "samplingPercent": 150 }] }',
      expected: /samplingPercent: Too big/,
    },
    {
      name: 'a companion of nothing',
      text: '{ "surveys": [{ "id": "a", "trigger": "ticket.solved", "metric": "ces", "channels": ["email"], "companionOf": "b" }] }',
      expected: /companionOf: no survey "b"/,
    },
    {
      name: 'one id twice',
      text: '{ "surveys": [{ "id": "a", "trigger": "ticket.solved", "metric": "ces", "channels": ["email"] }, { "id": "a", "trigger": "ticket.solved", "metric": "csat", "channels": ["email"] }] }',
      expected: /surveys\[1\]\.id: "a" is used twice/,
    },
    {
      name: 'an hour that does not exist',
      text: '{\n  "smsQuietHours": { "from": 25, "to": 9 }\n}',
      expected: /^acme\.json:2:30 smsQuietHours\.from: Too big/,
    },
    {
      name: 'a window that ends before it starts',
      text: '{ "emailSendWindows": [{ "days": ["mon"], "from": "18:00", "to": "09:00" }] }',
      expected: /emailSendWindows\[0\]\.to: "to" \(09:00\) must be after "from"/,
    },
    {
      name: 'a day that is not one',
      text: '{ "emailSendWindows": [{ "days": ["monday"], "from": "09:00", "to": "17:00" }] }',
      expected: /"monday" is not allowed; allowed: "mon", "tue"/,
    },
    {
      name: 'a region code in lower case',
      text: '{ "zendesk": { "defaultPhoneRegion": "pl" } }',
      expected: /zendesk\.defaultPhoneRegion: a two-letter region code/,
    },
    { name: 'broken JSON', text: '{\n  "brand": "x",,\n}', expected: /^acme\.json:2:16 not valid JSON/ },
  ])('Should refuse $name with a message that says what to change', ({ text, expected }) => {
    // Act
    const problems = problemsOf(text);

    // Assess
    expect(problems.join('\n')).toMatch(expected);
  });
});

it('Should keep the committed JSON Schema in step with the zod schema (npm run settings:schema)', () => {
  // Act + Assess
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
});

describe('e-mail send windows', () => {
  const weekdays = [{ days: [1, 2, 3, 4, 5], fromMinute: 9 * 60, toMinute: 18 * 60 }];

  it.each([
    { name: 'inside a window', at: '2026-11-20T10:00:00Z', zone: 'Europe/Warsaw', expected: '2026-11-20T10:00:00.000Z' },
    { name: 'on a Friday evening (next: Monday 09:00 local)', at: '2026-11-20T19:30:00Z', zone: 'Europe/Warsaw', expected: '2026-11-23T08:00:00.000Z' },
    { name: 'early in the morning (same day 09:00 local)', at: '2026-11-18T05:10:00Z', zone: 'America/New_York', expected: '2026-11-18T14:00:00.000Z' },
    { name: 'at 08:59 UTC, a minute before its window', at: '2026-11-18T08:59:00Z', zone: undefined, expected: '2026-11-18T09:00:00.000Z' },
  ])('Should send $name', ({ at, zone, expected }) => {
    // Act
    const sendAt = intoSendWindow(new Date(at), zone, weekdays);

    // Assess
    expect(sendAt.toISOString()).toBe(expected);
  });

  it('Should defer an e-mail survey into the window and say so, and leave SMS to its quiet hours', () => {
    // Prepare
    const survey = DEFAULT_CATALOGUE[0]!;
    const profile = { customerId: 'c', email: 'a@example.com', locale: 'pl', timezone: 'Europe/Warsaw', consent: {}, version: 0 };

    // Act
    const decision = decideEligibility({
      survey,
      profile,
      now: new Date('2026-11-20T19:30:00Z'),
      delaySeconds: 0,
      policy: { ...DEFAULT_POLICY, emailWindows: weekdays },
    });

    // Assess
    expect(decision).toMatchObject({
      eligible: true,
      sendAt: '2026-11-23T08:00:00.000Z',
      reason: expect.stringContaining('deferred into an e-mail send window'),
    });
  });
});
