/**
 * The open-alerts panel of the dashboard, on its own so it can grow (acknowledge, resolve) without
 * touching the rest of the page.
 *
 *   renderAlertsPanel(container, { api, texts, language }) → Promise<number> (rows shown)
 *     api.get(path)        → parsed JSON of a GET to the read API (adds the dashboard key; throws on error)
 *     api.post(path, body) → parsed JSON of a POST (for actions on an alert)
 *     texts                → the dashboard texts (surveys/texts, "dashboard"), e.g. texts.alertColumns
 *
 * It fetches GET /api/alerts?status=open and renders one row per alert. Everything a customer wrote
 * is set as text, never as HTML.
 */
export async function renderAlertsPanel(container, { api, texts, language }) {
  const alerts = await api.get('/api/alerts?status=open');
  if (!Array.isArray(alerts) || alerts.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = texts.alertsEmpty;
    container.replaceChildren(empty);
    return 0;
  }
  const c = texts.alertColumns;
  const table = document.createElement('table');
  table.id = 'alerts-table';
  const head = table.createTHead().insertRow();
  for (const label of [c.when, c.kind, c.customer, c.survey, c.score, c.comment]) {
    const th = document.createElement('th');
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  const when = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' });
  for (const alert of alerts) {
    const row = body.insertRow();
    row.dataset.alertId = alert.id;
    const cells = [alert.createdAt ? when.format(new Date(alert.createdAt)) : '', alert.kind, alert.customerId, alert.survey, alert.score, alert.comment];
    for (const value of cells) row.insertCell().textContent = value === undefined || value === null ? '' : String(value);
  }
  container.replaceChildren(table);
  return alerts.length;
}
