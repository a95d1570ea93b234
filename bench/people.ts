/**
 * Behaviour benchmark: people and mail scanners on survey links, against the local runtime with a real
 * Chromium (playwright-core, /usr/bin/chromium). Each behaviour gets its own survey mail; scanners act
 * as the mail arrives (or at a later moment where that is what they do: the time-of-click rescan, a
 * chat preview, a sandbox walking the links), people a minute later. Goal: every person counted once,
 * no scanner answer, no scanner alert. The behaviours: test/support/behaviours.ts.
 * `npm run bench:people`
 */
import { startRuntime } from '../local/runtime.ts';
import { DEFAULT_EVIDENCE_RULES } from '../surveys/human-evidence.ts';
import { PEOPLE, playAll, SCANNERS, type Outcome } from '../test/support/behaviours.ts';
import { launchChromium } from '../test/support/survey-links.ts';
import { writeSection } from './results.ts';

process.env.RATE_LIMIT_ADDRESS_PER_MINUTE = '100000'; // every request here comes from 127.0.0.1
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const cell = (text: unknown) => String(text ?? '').replaceAll('|', '\\|');

function row(o: Outcome): string {
  const b = o.behaviour;
  const stored = o.response ? `${o.response.score} (${o.response.evidence ?? '?'}, v${o.response.version})` : '–';
  const verdict =
    b.kind === 'person'
      ? o.counted
        ? 'counted'
        : 'NOT counted'
      : o.scannerAnswered
        ? 'ANSWERED'
        : b.score !== undefined && o.counted
          ? 'refused; reader counted'
          : 'refused';
  const posts = o.scannerPosts.length ? [...new Set(o.scannerPosts)].sort().join('/') : '';
  return `| ${b.kind} | ${cell(b.name)} | ${b.at} | ${b.score ?? ''} | ${stored} | ${posts} | ${verdict}${o.error ? ` (error: ${cell(o.error)})` : ''} |`;
}

const started = Date.now();
const runtime = await startRuntime({ sweepIntervalMs: 500, streamPollMs: 100 });
const browser = await launchChromium();
try {
  const tally = await playAll(runtime, browser, [...PEOPLE, ...SCANNERS], 61_000, 'bench');
  const aggregated = (await (await fetch(`${runtime.apiUrl}/api/scores?metric=nps&window=7d`)).json()) as { responses: number };
  const line = `people counted: ${tally.people.counted} of ${tally.people.of}, scanner answers: ${tally.scanners.answered} of ${tally.scanners.of} (scanner alerts: ${tally.alerts}; responses in the NPS: ${aggregated.responses})`;
  const body = `${line}

People answer a minute after their mail arrived; scanners marked "delivery" act as their mail arrives, one at a time. A dwell (page visible ${3} s, no input) is held ${DEFAULT_EVIDENCE_RULES.dwellHoldSeconds} s and refused within ${DEFAULT_EVIDENCE_RULES.dwellMinSecondsAfterSend} s of sending (docs/responses.md). "scanner posts" are the statuses of the answers the scanner itself sent: 403 refused, 202 a dwell held and then dropped (it never became a response; a 200 or a stored response would be a scanner answer). Run time ${Math.round((Date.now() - started) / 1000)} s.

| who | behaviour | when | means | stored (evidence, version) | scanner posts | verdict |
| --- | --------- | ---- | ----- | -------------------------- | ------------- | ------- |
${tally.outcomes.map(row).join('\n')}`;
  console.log(body);
  writeSection('people', 'npm run bench:people', body);
  process.exitCode = tally.people.counted === tally.people.of && tally.scanners.answered === 0 && tally.alerts === 0 ? 0 : 1;
} finally {
  await browser.close();
  await runtime.stop();
}
