/**
 * The funnel panel: how many were asked, reached and answered. Response-rate tiles (answered / sent,
 * answered / delivered, opened / sent) with their 95 % range, a funnel chart (bars with their numbers
 * as text, and an accessible name that reads the whole funnel), the skips by reason, and a split by
 * channel, survey, send hour… with each segment's rate and range, and which one leads and whether
 * clearly. Reads GET /api/funnel. Everything is set as text, never as HTML.
 *
 *   renderFunnelPanel(container, { api, texts, language, window }) → Promise<void>
 */
import { element, fill } from './dom.js';
const STEPS = ['scheduled', 'sent', 'delivered', 'opened', 'answered', 'commented'];
const LOSSES = ['bounced', 'failed', 'unsubscribed', 'complained'];
const SEGMENTS = ['channel', 'survey', 'sendHour', 'locale', 'store', 'team'];

/** The controls survive a refresh: they are built once and keep the lead's choice. */
function controls(container, t, onChange) {
  let bar = container.querySelector('.funnel-controls');
  if (bar) return bar;
  const survey = element('select', { id: 'funnel-survey' }, [element('option', { value: '', textContent: t.allSurveys })]);
  const segment = element(
    'select',
    { id: 'funnel-segment' },
    SEGMENTS.map((s) => element('option', { value: s, textContent: t.segments[s] })),
  );
  for (const select of [survey, segment]) select.addEventListener('change', onChange);
  bar = element('p', { className: 'funnel-controls' }, [
    element('label', { htmlFor: 'funnel-survey', textContent: `${t.survey} ` }),
    survey,
    ' ',
    element('label', { htmlFor: 'funnel-segment', textContent: `${t.splitBy} ` }),
    segment,
  ]);
  container.append(bar, element('div', { className: 'funnel-body' }));
  return bar;
}

export async function renderFunnelPanel(container, { api, texts, language, window }) {
  const t = texts;
  controls(container, t, () => void renderFunnelPanel(container, { api, texts, language, window }));
  const survey = container.querySelector('#funnel-survey');
  const segment = container.querySelector('#funnel-segment').value;
  const query = `window=${encodeURIComponent(window)}${survey.value ? `&survey=${encodeURIComponent(survey.value)}` : ''}`;
  const [funnel, bySurvey] = await Promise.all([
    api.get(`/api/funnel?${query}&segment=${segment}`),
    api.get(`/api/funnel?window=${encodeURIComponent(window)}&segment=survey`),
  ]);
  const known = new Set([...survey.options].map((o) => o.value));
  for (const s of bySurvey.segments ?? []) if (!known.has(s.key)) survey.append(element('option', { value: s.key, textContent: s.key }));

  const count = new Intl.NumberFormat(language);
  const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
  const rate = (k, n) => (n > 0 ? k / n : null);
  const range = (low, high) => (low === undefined ? '' : fill(t.interval, { low: percent.format(low), high: percent.format(high) }));
  const hour = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
  const keyLabel = (key) =>
    funnel.segment === 'sendHour' && /^\d\d$/.test(key) ? fill(t.sendHourValue, { time: hour.format(new Date(Date.UTC(2026, 0, 1, Number(key)))) }) : key;

  const tile = (title, value, detail, extra) =>
    element('article', { className: 'tile funnel-tile' }, [
      element('h3', { textContent: title }),
      element('p', { className: 'value', textContent: value === null ? '–' : percent.format(value) }),
      element('p', { className: 'moe', textContent: extra }),
      element('p', { className: 'responses', textContent: value === null ? t.noRate : detail }),
    ]);
  const interval = funnel.responseRateInterval ?? {};
  const tiles = element('div', { className: 'tiles funnel-tiles' }, [
    tile(
      t.responseRate,
      funnel.responseRate,
      fill(t.ofSent, { answered: count.format(funnel.answered), sent: count.format(funnel.sent) }),
      range(interval.low, interval.high),
    ),
    tile(
      t.deliveredRate,
      funnel.deliveredResponseRate,
      fill(t.ofDelivered, { answered: count.format(funnel.answered), delivered: count.format(funnel.delivered) }),
      '',
    ),
    tile(t.openRate, rate(funnel.opened, funnel.sent), fill(t.opensOfSent, { opened: count.format(funnel.opened), sent: count.format(funnel.sent) }), ''),
  ]);
  tiles.firstChild.dataset.testid = 'funnel-rate';
  tiles.firstChild.dataset.value = String(funnel.responseRate ?? '');

  // The chart: one bar per step, as wide as its share of the first step; the numbers are text beside it.
  const top = Math.max(1, ...STEPS.map((s) => funnel[s] ?? 0));
  const summary = [...STEPS, ...LOSSES].map((s) => `${t.steps[s]} ${count.format(funnel[s] ?? 0)}`).join(', ');
  const chart = element('figure', { className: 'funnel-chart', id: 'funnel-chart' });
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', fill(t.chartLabel, { summary }));
  for (const step of STEPS) {
    const n = funnel[step] ?? 0;
    const row = element('div', { className: 'funnel-row' }, [
      element('span', { className: 'funnel-step', textContent: t.steps[step] }),
      element('span', { className: 'funnel-bar-track' }, [element('span', { className: `funnel-bar step-${step}` })]),
      element('span', { className: 'funnel-count', textContent: count.format(n) }),
    ]);
    row.dataset.step = step;
    row.dataset.count = String(n);
    row.querySelector('.funnel-bar').style.width = `${(100 * n) / top}%`;
    chart.append(row);
  }
  const losses = element('p', { className: 'funnel-losses', textContent: LOSSES.map((s) => `${t.steps[s]}: ${count.format(funnel[s] ?? 0)}`).join(' · ') });
  const skips = Object.entries(funnel.skipped ?? {}).sort((a, b) => b[1] - a[1]);
  const skipped = element('p', {
    className: 'funnel-skips',
    textContent: `${t.skipped}: ${skips.length ? skips.map(([reason, n]) => `${reason} ${count.format(n)}`).join(' · ') : t.noSkips}`,
  });

  // The split: which segment gets the most answers, with a margin of error.
  const c = t.columns;
  const table = element('table', { id: 'funnel-segments' });
  table.createCaption().textContent = `${t.segments[funnel.segment] ?? ''}: ${c.rate}`;
  const head = table.createTHead().insertRow();
  for (const label of [c.key, c.sent, c.answered, c.rate, c.interval, c.note]) head.append(element('th', { scope: 'col', textContent: label }));
  const body = table.createTBody();
  for (const s of funnel.segments ?? []) {
    const row = body.insertRow();
    row.dataset.key = s.key;
    const values = [
      keyLabel(s.key),
      count.format(s.sent),
      count.format(s.answered),
      s.responseRate === null ? '–' : percent.format(s.responseRate),
      s.low === undefined ? '' : `${percent.format(s.low)} – ${percent.format(s.high)}`,
      s.smallSample ? t.smallSample : '',
    ];
    row.append(...values.map((v, i) => element(i === 0 ? 'th' : 'td', { textContent: v, ...(i === 0 ? { scope: 'row' } : {}) })));
  }
  const leader = funnel.leader;
  const verdict = element('p', {
    className: 'funnel-leader',
    id: 'funnel-leader',
    textContent: leader
      ? fill(leader.clearlyAhead ? t.leaderClear : t.leaderUnclear, { key: keyLabel(leader.key), rate: percent.format(leader.responseRate) })
      : t.noLeader,
  });
  container.querySelector('.funnel-body').replaceChildren(tiles, chart, losses, skipped, verdict, table);
  container.dataset.loaded = `${funnel.window}:${funnel.segment}:${funnel.survey ?? ''}`;
}
