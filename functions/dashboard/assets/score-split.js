/**
 * The split under each score tile, as one stacked bar: promoters / passives / detractors for NPS,
 * satisfied / neutral / unsatisfied for CSAT, easy / neutral / hard for CES. Counts come from
 * GET /api/scores (promoters, passives, detractors; satisfied; percentEasy, highEffort). The bar has an
 * accessible name with every part's count and share; its legend repeats them as text.
 *
 *   renderScoreSplit(tile, summary, { texts, language }) → void
 */
import { fill } from './dom.js';

/** [positive, neutral, negative] answer counts of one metric's summary. */
export function splitCounts(summary) {
  const n = summary.responses ?? 0;
  const detractors = summary.detractors ?? 0;
  if (summary.metric === 'nps') return [summary.promoters ?? 0, summary.passives ?? 0, detractors];
  if (summary.metric === 'csat') {
    const satisfied = summary.satisfied ?? 0;
    return [satisfied, Math.max(0, n - satisfied - detractors), detractors];
  }
  const easy = Math.round(((summary.percentEasy ?? 0) * n) / 100);
  const hard = summary.highEffort ?? detractors;
  return [easy, Math.max(0, n - easy - hard), hard];
}

export function renderScoreSplit(tile, summary, { texts, language }) {
  const t = texts.split[summary.metric];
  let holder = tile.querySelector('.split');
  if (!holder) {
    holder = document.createElement('div');
    holder.className = 'split';
    tile.querySelector('.hint')?.before(holder);
  }
  const counts = splitCounts(summary);
  const total = counts.reduce((a, b) => a + b, 0);
  holder.dataset.counts = counts.join(',');
  if (total === 0) {
    holder.replaceChildren();
    return;
  }
  const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 });
  const count = new Intl.NumberFormat(language);
  const described = counts.map((c, i) => `${t.parts[i]} ${count.format(c)} (${percent.format(c / total)})`);
  const bar = document.createElement('div');
  bar.className = 'split-bar';
  bar.setAttribute('role', 'img');
  bar.setAttribute('aria-label', `${t.label}: ${fill(texts.splitLabel, { parts: described.join(', ') })}`);
  const legend = document.createElement('ul');
  legend.className = 'split-legend';
  counts.forEach((c, i) => {
    const part = document.createElement('span');
    part.className = `part part-${i}`;
    part.style.width = `${(100 * c) / total}%`;
    bar.append(part);
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch part-${i}`;
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, ` ${described[i]}`);
    legend.append(item);
  });
  legend.setAttribute('aria-hidden', 'true'); // the bar's name says the same to a screen reader
  holder.replaceChildren(bar, legend);
}
