/**
 * The surveys settings file as a deploy parameter (`-c settings=<file>`): validated at synth with the
 * same messages as `npm start`, its brand and sender reaching AWS.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeployParameters } from '../../infra/deploy-parameters.ts';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'ankieta-settings-')), 'shop.json');
  writeFileSync(path, text);
  return path;
};

describe('the settings context parameter', () => {
  it('Should refuse a wrong file at synth, naming the line, the field and the allowed values', () => {
    // Prepare
    const path = file('{\n  "surveys": [{ "id": "a", "trigger": "order.delivered", "metric": "nps", "channels": ["fax"] }]\n}');

    // Act + Assess
    expect(() => parseDeployParameters({ settings: path })).toThrow(
      /shop\.json:2:88 surveys\[0\]\.channels\[0\]: "fax" is not allowed; allowed: "email", "sms"/,
    );
  });

  it('Should name a settings file that does not exist', () => {
    // Act + Assess
    expect(() => parseDeployParameters({ settings: '/nowhere/shop.json' })).toThrow(/Deploy parameter settings: no file \/nowhere\/shop\.json/);
  });

  it('Should take the brand and, without a senderEmail parameter, the sender from the file', () => {
    // Prepare
    const path = file(JSON.stringify({ brand: 'Sklep Ali', sender: 'ankiety@sklep-ali.pl' }));

    // Act
    const fromFile = parseDeployParameters({ settings: path });
    const overridden = parseDeployParameters({ settings: path, senderEmail: 'other@sklep-ali.pl' });

    // Assess
    expect(fromFile).toMatchObject({ senderEmail: 'ankiety@sklep-ali.pl', surveysSettings: { file: path, settings: { brand: 'Sklep Ali' } } });
    expect(overridden.senderEmail).toBe('other@sklep-ali.pl');
  });
});
