/**
 * The alerts panel of the dashboard: the alerts still to handle (open, and acknowledged but not
 * resolved), newest first, with the buttons that close the loop: "Take it" (acknowledge, with the
 * lead's name as owner) and "Resolve" (a note and a root cause).
 *
 *   renderAlertsPanel(container, { api, texts, language }) → Promise<number> (alert rows shown)
 *     api.get(path)        → parsed JSON of a GET to the read API (adds the dashboard key; throws on error)
 *     api.post(path, body) → parsed JSON of a POST (for actions on an alert)
 *     texts                → the dashboard texts (surveys/texts, "dashboard"), e.g. texts.alertColumns
 *
 * It reads GET /api/alerts?status=open and ?status=acked and renders one row per alert (a resolve
 * form, when opened, is a row of its own without an alert id). Everything a customer or a lead wrote
 * is set as text, never as HTML. The lead's name is kept in localStorage for the next visit.
 */
const OWNER = 'ankieta.alertOwner';
const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (whole, k) => (k in vars ? String(vars[k]) : whole));

function element(tag, props = {}, children = []) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

export async function renderAlertsPanel(container, { api, texts, language }) {
  const a = texts.alertActions;
  const [open, acked] = await Promise.all([api.get('/api/alerts?status=open'), api.get('/api/alerts?status=acked')]);
  const alerts = [...(Array.isArray(open) ? open : []), ...(Array.isArray(acked) ? acked : [])].sort((x, y) =>
    String(y.createdAt).localeCompare(String(x.createdAt)),
  );
  if (alerts.length === 0) {
    container.replaceChildren(element('p', { className: 'empty', textContent: texts.alertsEmpty }));
    return 0;
  }

  const owner = element('input', { id: 'alert-owner', name: 'owner', autocomplete: 'name', maxLength: 200, value: localStorage.getItem(OWNER) ?? '' });
  owner.addEventListener('change', () => localStorage.setItem(OWNER, owner.value.trim()));
  const ownerRow = element('p', { className: 'alert-owner' }, [element('label', { htmlFor: 'alert-owner', textContent: a.owner }), ' ', owner]);
  const message = element('p', { id: 'alert-action-error', className: 'error', hidden: true });
  message.setAttribute('role', 'alert');

  const rerender = () => renderAlertsPanel(container, { api, texts, language });
  const act = async (path, body) => {
    message.hidden = true;
    try {
      await api.post(path, body);
    } catch (error) {
      message.textContent = fill(a.failed, { error: error.message });
      message.hidden = false;
      return;
    }
    await rerender();
  };
  const ownerName = () => {
    const name = owner.value.trim();
    if (!name) {
      message.textContent = a.ownerMissing;
      message.hidden = false;
      owner.focus();
    } else localStorage.setItem(OWNER, name);
    return name;
  };

  const c = texts.alertColumns;
  const columns = [c.when, c.kind, c.customer, c.survey, c.score, c.comment, a.status, ''];
  const table = element('table', { id: 'alerts-table' });
  const head = table.createTHead().insertRow();
  for (const label of columns) head.append(element('th', { textContent: label }));
  const body = table.createTBody();
  const when = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' });

  for (const alert of alerts) {
    const row = body.insertRow();
    row.dataset.alertId = alert.id;
    row.dataset.status = alert.status;
    // What the inbox filters read (alerts-filters.js).
    Object.assign(row.dataset, { kind: alert.kind, team: alert.segments?.team ?? '', store: alert.segments?.store ?? '', owner: alert.owner ?? '' });
    row.dataset.customerId = alert.customerId;
    const status = alert.status === 'acked' ? fill(a.acked, { owner: alert.owner ?? '' }) : a.open;
    const cells = [
      alert.createdAt ? when.format(new Date(alert.createdAt)) : '',
      alert.kind,
      alert.customerName ?? alert.customerId,
      alert.survey,
      alert.score ?? alert.riskScore,
      alert.comment ?? (alert.reasons ?? []).join('; '),
      status,
    ];
    for (const value of cells) row.insertCell().textContent = value === undefined || value === null ? '' : String(value);
    const actions = row.insertCell();
    const path = (action) => `/api/alerts/${encodeURIComponent(alert.id)}/${action}`;

    if (alert.status === 'open') {
      const take = element('button', { type: 'button', className: 'ack', textContent: a.acknowledge });
      take.addEventListener('click', () => {
        const name = ownerName();
        if (name) void act(path('ack'), { owner: name });
      });
      actions.append(take, ' ');
    }
    const resolve = element('button', { type: 'button', className: 'resolve', textContent: a.resolve });
    resolve.addEventListener('click', () => {
      if (row.nextElementSibling?.classList.contains('resolve-form')) return row.nextElementSibling.querySelector('textarea').focus();
      const note = element('textarea', { name: 'note', required: true, maxLength: 2000, rows: 2 });
      const cause = element(
        'select',
        { name: 'rootCause', required: true },
        Object.entries(a.rootCauses).map(([value, label]) => element('option', { value, textContent: label })),
      );
      const cancel = element('button', { type: 'button', textContent: a.cancel });
      const form = element('form', {}, [
        element('label', {}, [a.note, ' ', note]),
        ' ',
        element('label', {}, [a.rootCause, ' ', cause]),
        ' ',
        element('button', { type: 'submit', textContent: a.save }),
        ' ',
        cancel,
      ]);
      const formRow = element('tr', { className: 'resolve-form' }, [element('td', { colSpan: columns.length }, [form])]);
      cancel.addEventListener('click', () => formRow.remove());
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        // Resolving an alert nobody took makes the resolver its owner.
        const name = alert.status === 'open' ? ownerName() : undefined; // an acknowledged alert keeps its owner
        if (alert.status === 'open' && !name) return;
        void act(path('resolve'), { note: note.value.trim(), rootCause: cause.value, ...(name ? { owner: name } : {}) });
      });
      row.after(formRow);
      note.focus();
    });
    actions.append(resolve);
  }
  container.replaceChildren(ownerRow, message, table);
  return alerts.length;
}
