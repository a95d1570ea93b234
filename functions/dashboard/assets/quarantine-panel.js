/**
 * Rejected input: how many inputs quarantine kept in the last 14 days, by source and reason
 * (GET /api/quarantine/stats), and how to list and replay them. Reasons are set as text, never as HTML.
 *
 *   renderQuarantinePanel(container, { api, texts, language }) → Promise<number> (items counted)
 */
import { element, fill } from './dom.js';

export async function renderQuarantinePanel(container, { api, texts, language }) {
  const stats = await api.get('/api/quarantine/stats');
  const number = new Intl.NumberFormat(language);
  const hint = element('p', { className: 'hint' }, [element('code', { textContent: texts.listCommand }), ` — ${texts.hint}`]);
  if (!stats.total) {
    container.replaceChildren(element('p', { className: 'empty', textContent: fill(texts.none, { days: stats.days }) }), hint);
    return 0;
  }
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
  container.replaceChildren(element('p', { className: 'total', textContent: summary.join(' · ') }), table, hint);
  return stats.total;
}
