/**
 * The "What drives the score" panel: the comment topics of the window, sorted by impact (points the
 * score would gain if the topic's detractors had been passives), with the margin of error, how often
 * the topic comes up and how that changed against the window before, the sentiment mix, the score of
 * customers who mention it against those who do not, and a few sample comments.
 *
 *   renderDriversPanel(container, { api, texts, language, metric, window }) → Promise<number> (topic rows)
 *
 * Sample comments come from the API already redacted (no e-mail, phone, number or addressed name) and
 * are set as text, never as HTML, like everything else here.
 */
import { element, fill } from './dom.js';

export async function renderDriversPanel(container, { api, texts, language, metric, window }) {
  const t = texts.drivers;
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 });
  const result = await api.get(`/api/insights?metric=${encodeURIComponent(metric)}&window=${encodeURIComponent(window)}&samples=2&lang=${language}`);
  container.dataset.loaded = `${result.metric}:${result.window}`;
  const summary = element('p', { className: 'drivers-summary', textContent: fill(t.summary, { commented: result.commented, responses: result.responses }) });
  if (!result.topics?.length) {
    container.replaceChildren(summary, element('p', { className: 'empty', textContent: t.empty }));
    return 0;
  }

  const table = element('table', { id: 'drivers-table' });
  const head = table.createTHead().insertRow();
  for (const label of [t.columns.topic, t.columns.impact, t.columns.mentions, t.columns.sentiment, t.columns.scores, t.columns.samples]) {
    head.append(element('th', { textContent: label }));
  }
  const body = table.createTBody();
  for (const topic of result.topics) {
    const row = body.insertRow();
    row.dataset.topic = topic.topic;
    row.dataset.impact = String(topic.impact);
    const trend = topic.previous ? topic.share - topic.previous.share : null;
    const arrow = trend === null ? '' : trend > 0.005 ? ` ↑ ${t.more}` : trend < -0.005 ? ` ↓ ${t.fewer}` : ` → ${t.same}`;
    const cells = [
      [element('strong', { textContent: topic.label }), ...(topic.smallSample ? [element('span', { className: 'flag', textContent: ` ${t.small}` })] : [])],
      [
        fill(t.impact, {
          impact: number.format(topic.impact),
          moe: topic.impactMarginOfError === null ? '–' : number.format(topic.impactMarginOfError),
        }),
      ],
      [fill(t.mentions, { mentions: topic.mentions, share: percent.format(topic.share) }) + arrow],
      [fill(t.sentiment, { negative: topic.negative, neutral: topic.neutral, positive: topic.positive })],
      [
        fill(t.scores, {
          score: topic.score === null ? '–' : number.format(topic.score),
          without: topic.scoreWithout === null ? '–' : number.format(topic.scoreWithout),
          moe: topic.marginOfError === null ? '–' : number.format(topic.marginOfError),
        }),
      ],
      [
        element(
          'ul',
          { className: 'samples' },
          (topic.samples ?? []).map((s) => element('li', { textContent: `“${s.comment}”` })),
        ),
      ],
    ];
    for (const children of cells) row.append(element('td', {}, children));
  }
  container.replaceChildren(summary, table);
  return result.topics.length;
}
