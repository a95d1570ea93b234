/**
 * The alerts inbox's filters (status, kind, team, store, owner) over the rows the alerts panel drew
 * (newest first), and per alert a History button that shows the customer's earlier answers and churn
 * risk under the row (GET /api/customers/{id}/health). The filter bar lives outside the panel, so its
 * choices survive the panel's redraws; times are shown in the reader's time zone and language.
 *
 *   applyAlertFilters(bar, panel, { api, texts, language }) → void   (call after each panel render)
 */
import { element, fill } from './dom.js';
const FIELDS = ['status', 'kind', 'team', 'store', 'owner'];

function optionLabel(t, field, value) {
  if (field === 'status') return t.statuses[value] ?? value;
  if (field === 'kind') return t.kinds[value] ?? value;
  return value;
}

function buildBar(bar, t, onChange) {
  if (bar.dataset.built) return;
  bar.dataset.built = 'true';
  const fieldset = element('fieldset', { className: 'alert-filters' }, [element('legend', { textContent: t.filters })]);
  for (const field of FIELDS) {
    const select = element('select', { id: `alert-filter-${field}` }, [element('option', { value: '', textContent: t.any })]);
    select.addEventListener('change', onChange);
    fieldset.append(element('label', { htmlFor: select.id, textContent: `${t.fields[field]} ` }), select, ' ');
  }
  const status = element('p', { id: 'alert-filter-count', className: 'muted' });
  status.setAttribute('aria-live', 'polite');
  bar.replaceChildren(fieldset, status);
}

async function toggleHistory(row, customerId, { api, texts, language }) {
  const t = texts.alerts;
  const next = row.nextElementSibling;
  const button = row.querySelector('.history');
  if (next?.classList.contains('history-row')) {
    next.remove();
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  const health = await api.get(`/api/customers/${encodeURIComponent(customerId)}/health`).catch(() => undefined);
  const when = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const answers = (health?.answers ?? []).slice().sort((a, b) => String(b.at).localeCompare(String(a.at)));
  const items = answers.map((a) =>
    element('li', { textContent: `${a.at ? when.format(new Date(a.at)) : ''} · ${a.survey ?? a.metric ?? ''} · ${a.score ?? ''}` }),
  );
  const cell = element('td', { colSpan: row.cells.length }, [
    element('p', { textContent: health ? fill(t.risk, { score: health.risk?.score ?? '–', band: health.risk?.band ?? '' }) : t.noHistory }),
    element('p', { textContent: t.historyOf }),
    items.length ? element('ul', {}, items) : element('p', { textContent: t.noHistory }),
  ]);
  row.after(element('tr', { className: 'history-row' }, [cell]));
  button.setAttribute('aria-expanded', 'true');
}

export function applyAlertFilters(bar, panel, { api, texts, language }) {
  const t = texts.alerts;
  const apply = () => applyAlertFilters(bar, panel, { api, texts, language });
  buildBar(bar, t, apply);
  if (!panel.dataset.observed) {
    // The panel redraws itself after an action (take, resolve): filter the new rows too.
    panel.dataset.observed = 'true';
    new MutationObserver(apply).observe(panel, { childList: true });
  }
  const rows = [...panel.querySelectorAll('tr[data-alert-id]')];
  for (const field of FIELDS) {
    const select = bar.querySelector(`#alert-filter-${field}`);
    const values = [...new Set(rows.map((r) => r.dataset[field]).filter(Boolean))].sort();
    const known = new Set([...select.options].map((o) => o.value));
    for (const value of values) if (!known.has(value)) select.append(element('option', { value, textContent: optionLabel(t, field, value) }));
  }
  const chosen = Object.fromEntries(FIELDS.map((f) => [f, bar.querySelector(`#alert-filter-${f}`).value]));
  let shown = 0;
  for (const row of rows) {
    const visible = FIELDS.every((f) => !chosen[f] || row.dataset[f] === chosen[f]);
    row.hidden = !visible;
    const extra = row.nextElementSibling;
    if (extra && !extra.dataset.alertId) extra.hidden = !visible; // its resolve form or history
    if (visible) shown++;
    const customer = row.cells[2];
    if (customer && !customer.querySelector('.history')) {
      const button = element('button', { type: 'button', className: 'history', textContent: t.history });
      button.setAttribute('aria-expanded', 'false');
      button.setAttribute('aria-label', `${t.history}: ${customer.textContent}`);
      button.addEventListener('click', () => void toggleHistory(row, row.dataset.customerId, { api, texts, language }));
      customer.append(' ', button);
    }
  }
  bar.querySelector('#alert-filter-count').textContent = fill(t.shown, { shown, total: rows.length });
  panel.dataset.filtered = JSON.stringify(chosen);
}
