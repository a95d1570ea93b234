/**
 * Figures that never go stale: the write units of the survey lifecycle in bench/RESULTS.md must be
 * what a short run of the same benchmark (bench/lifecycle-wcu.ts, 10 e-mail and 10 SMS surveys)
 * measures today, within 2 %. The pages written once per stream batch (score, funnel and topic pages)
 * are left out of both: their share per survey depends on the batch sizes, so on the number of surveys;
 * everything else is deterministic. Not imported from bench/lifecycle-wcu.ts, which runs when imported.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { resultsSection, tableRows } from '../support/bench-results.ts';

const TOLERANCE = 0.02;
/** The item kinds of bench/lifecycle-wcu.ts's BATCHED_PAGES. */
const BATCHED_PAGES = ['score page', 'FUNNEL/DAY', 'TOPIC/DAY'];
const dir = mkdtempSync(join(tmpdir(), 'ankieta-wcu-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** WCU per survey of one channel's item table in the wcu section, score pages left out. */
function recorded(channel: 'e-mail' | 'SMS'): number {
  const section = resultsSection('wcu');
  const from = section.indexOf(`### By ${channel}`);
  const next = section.indexOf('### ', from + 4);
  // The item table (stage | item written | writes | WCU), not the stage table whose second cell is a number.
  const rows = tableRows(section.slice(from, next < 0 ? undefined : next)).filter(
    (cells) => cells.length === 4 && /^\d/.test(cells[3]!) && !/^[\d*]/.test(cells[1]!),
  );
  return rows.filter((cells) => !BATCHED_PAGES.includes(cells[1]!)).reduce((sum, cells) => sum + Number(cells[3]), 0);
}

describe('bench/RESULTS.md write units', () => {
  it('match a short run of the lifecycle benchmark (else run `npm run bench:figures`)', { timeout: 240_000 }, () => {
    // Prepare
    const file = join(dir, 'wcu.json');
    // Act
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/lifecycle-wcu.ts'], {
      // On the run's DynamoDB Local (global setup), not a JVM of its own.
      env: { ...process.env, SURVEYS: '10', SMS_SURVEYS: '10', WCU_JSON: file, WCU_DYNAMO_ENDPOINT: inject('dynamoEndpoint') },
      stdio: 'ignore',
    });
    const measured = JSON.parse(readFileSync(file, 'utf8')) as { email: number; sms: number };
    // Assess
    const figures = { email: [measured.email, recorded('e-mail')], sms: [measured.sms, recorded('SMS')] };
    const stale = Object.entries(figures)
      .filter(([, [now, then]]) => Math.abs(now! - then!) > TOLERANCE * then!)
      .map(([channel, [now, then]]) => `${channel}: ${now!.toFixed(2)} WCU per survey (score pages left out) today, bench/RESULTS.md says ${then!.toFixed(2)}`);
    expect(stale, 'write units moved: run `npm run bench:figures` and commit bench/RESULTS.md').toEqual([]);
  });
});
