/**
 * Rejected input: how many inputs quarantine kept in the last 14 days, by source and reason
 * (GET /api/quarantine/stats), and how to list and replay them. Reasons are set as text, never as HTML.
 *
 *   renderQuarantinePanel(container, { api, texts, language }) → Promise<number> (items counted)
 */
import { element, fill } from './dom.js';
import { renderFetched } from './panel.js';

export async function renderQuarantinePanel(container, { api, texts, language }) {
  const number = new Intl.NumberFormat(language);
  return renderFetched(container, {
    api,
    path: '/api/quarantine/stats',
    count: (stats) => stats.total,
    empty: (stats) => fill(texts.none, { days: stats.days }),
    build: (stats) => {
      const summary = [fill(texts.total, { count: number.format(stats.total), days: stats.days })];
      if (stats.replayed) summary.push(fill(texts.replayed, { replayed: number.format(stats.replayed) }));
      const head = element(
        'tr',
        {},
        [texts.columns.source, texts.columns.reason, texts.columns.count].map((t) => element('th', { scope: 'col', textContent: t })),
      );
      const rows = stats.byReason.map((r) =>
        element('tr', {}, [
          element('td', { textContent: r.source }),
          element('td', { textContent: r.reason }),
          element('td', { textContent: number.format(r.count) }),
        ]),
      );
      const table = element('table', { id: 'quarantine-reasons' }, [element('thead', {}, [head]), element('tbody', {}, rows)]);
      return [element('p', { className: 'total', textContent: summary.join(' · ') }), table];
    },
    after: [element('p', { className: 'hint' }, [element('code', { textContent: texts.listCommand }), ` — ${texts.hint}`])],
  });
}
