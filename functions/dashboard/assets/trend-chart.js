/**
 * The score trend, readable with a few days of history as with 90: points (not only a line) with the
 * 95 % range as a band; weekly points when the days are thin (fewer than MIN_PER_DAY answers a day on
 * average), taken from the API's 7-day rolling series every 7th day so each week is summed exactly;
 * the x axis starts a little before the first day with answers instead of 90 empty days. Times on the
 * axis are in the reader's time zone (uPlot's default). The chart's accessible name states the latest
 * figure, its range and how many answers it rests on.
 *
 *   loadTrend(api, metric) → Promise<{ daily, weekly: boolean }>
 *   renderTrendChart(el, trend, { texts, language, extra }) → uPlot | undefined
 */
import { fill } from './dom.js';
const MIN_PER_DAY = 5;

export async function loadTrend(api, metric) {
  const daily = await api.get(`/api/scores/daily?metric=${metric}&days=90&rolling=1`);
  const withData = daily.series.filter((p) => p.responses > 0);
  const perDay = withData.length ? withData.reduce((s, p) => s + p.responses, 0) / withData.length : 0;
  if (perDay >= MIN_PER_DAY) return { daily, weekly: false };
  const rolling = await api.get(`/api/scores/daily?metric=${metric}&days=90&rolling=7`);
  const last = rolling.series.length - 1;
  return { daily: { ...rolling, series: rolling.series.filter((_p, i) => (last - i) % 7 === 0) }, weekly: true };
}

function firstUsefulIndex(series, step) {
  const first = series.findIndex((p) => p.responses > 0);
  return first < 0 ? Math.max(0, series.length - 14 / step) : Math.max(0, first - 1);
}

export function renderTrendChart(el, { daily, weekly }, { texts, language, extra }) {
  const step = weekly ? 7 : 1;
  const series = daily.series.slice(firstUsefulIndex(daily.series, step));
  const xs = series.map((p) => Date.parse(`${p.day}T12:00:00Z`) / 1000);
  const values = series.map((p) => (p.responses > 0 ? p.value : null));
  const lows = series.map((p) => (p.responses > 0 ? (p.interval?.low ?? (p.marginOfError === undefined ? null : p.value - p.marginOfError)) : null));
  const highs = series.map((p) => (p.responses > 0 ? (p.interval?.high ?? (p.marginOfError === undefined ? null : p.value + p.marginOfError)) : null));
  const counts = series.map((p) => p.responses);
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  const lastIndex = values.findLastIndex((v) => v !== null);
  const name = texts.metricNames[daily.metric];
  const mode = weekly ? extra.weekly : extra.daily;
  el.dataset.points = String(series.length);
  el.dataset.weekly = String(weekly);
  el.dataset.last = lastIndex < 0 ? '' : String(values[lastIndex]);
  el.setAttribute('role', 'img');
  el.setAttribute(
    'aria-label',
    lastIndex < 0
      ? `${name}: ${texts.noData}`
      : `${name}, ${mode}: ${number.format(values[lastIndex])}${lows[lastIndex] === null ? '' : ` (${extra.band} ${number.format(lows[lastIndex])} – ${number.format(highs[lastIndex])})`}, ${fill(texts.responses, { count: counts[lastIndex] })}`,
  );
  if (!window.uPlot) return undefined; // the library failed to load: the tiles still stand
  return new window.uPlot(
    {
      width: Math.max(300, el.clientWidth || 800),
      height: 260,
      scales: { x: { time: true }, n: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [
        {},
        { label: `${name} (${mode})`, stroke: '#1f5fa8', width: 2, spanGaps: true, points: { show: true, size: 7, fill: '#1f5fa8' } },
        { label: extra.band, stroke: 'transparent', points: { show: false } },
        { label: extra.band, stroke: 'transparent', points: { show: false } },
        { label: texts.columns.responses, stroke: '#767676', scale: 'n', width: 1, dash: [4, 4], points: { show: false } },
      ],
      bands: [{ series: [3, 2], fill: 'rgba(31, 95, 168, 0.15)' }],
      axes: [{}, {}, { scale: 'n', side: 1, grid: { show: false } }],
      legend: { show: true },
    },
    [xs, values, lows, highs, counts],
    el,
  );
}
