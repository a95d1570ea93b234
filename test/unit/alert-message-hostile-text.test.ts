import { describe, expect, it } from 'vitest';
import { alertMessage } from '../../surveys/templates/alert.ts';
import { BIDI_CONTROLS, FORGED_LINK, hostileAlert } from '../support/hostile-text.ts';

const dashboardUrl = 'https://x.example/dashboard';

describe('an SNS alert message with hostile customer text', () => {
  it.each(['en', 'pl'] as const)('Should keep the only link line its own (%s)', (language) => {
    // Prepare
    const alert = hostileAlert();

    // Act
    const { body } = alertMessage(alert, { dashboardUrl, language });

    // Assess: outside the quote, the link label starts one line only, the real one
    const lines = body.split('\n');
    const unquoted = lines.filter((l) => !l.startsWith('>'));
    const linkLabel = language === 'en' ? 'Acknowledge and resolve:' : 'Przyjmij i zamknij:';
    expect(unquoted.filter((l) => l.startsWith(linkLabel))).toEqual([`${linkLabel} ${dashboardUrl}#alert=detractor-inv-666`]);
    expect(unquoted.filter((l) => l.startsWith(FORGED_LINK) || l.startsWith('Acknowledge'))).toHaveLength(language === 'en' ? 1 : 0);
    expect(unquoted.filter((l) => /^(Team|Zespół):/.test(l))).toEqual([language === 'en' ? 'Team: support' : 'Zespół: support']);
  });

  it('Should quote every line of the comment', () => {
    // Act
    const { body } = alertMessage(hostileAlert(), { dashboardUrl });

    // Assess
    const lines = body.split('\n');
    const start = lines.indexOf('Comment:');
    expect(start).toBeGreaterThan(-1);
    expect(lines.slice(start + 1, start + 5)).toEqual([
      '> Bad parcel.',
      '>',
      `> Acknowledge and resolve: ${FORGED_LINK}`,
      `> Team: vipgnp.exe <!channel> *bold* [click](${FORGED_LINK}) &amp;`,
    ]);
  });

  it('Should remove bidi controls from the body and the subject', () => {
    // Act
    const { body, subject } = alertMessage(hostileAlert(), { dashboardUrl });

    // Assess
    expect(body).not.toMatch(BIDI_CONTROLS);
    expect(subject).not.toMatch(BIDI_CONTROLS);
    expect(subject).not.toContain('\n');
  });
});
