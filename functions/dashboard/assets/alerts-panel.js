/**
 * The alerts panel of the dashboard: the alerts still to handle (open, and acknowledged but not
 * resolved), newest first, with the buttons that close the loop: "Take it" (acknowledge) and
 * "Resolve" (a note and a root cause). The owner is the signed-in lead: the API records who called it
 * (functions/shared/principal.ts), so the page sends no name.
 *
 *   renderAlertsPanel(container, { api, texts, language, teamView }) → Promise<number> (alert rows shown)
 *     api.get(path)        → parsed JSON of a GET to the read API (adds the bearer token; throws on error)
 *     api.post(path, body) → parsed JSON of a POST (for actions on an alert)
 *     texts                → the dashboard texts (surveys/texts, "dashboard"), e.g. texts.alertColumns
 *     teamView()           → 'all' for every team's alerts, else '' for the API's default view (the lead's team)
 *   renderTeamSwitch(holder, { team, texts, onChange }) → the "my team / all teams" switch (hidden without a team)
 *   teamViewOf(holder)   → 'all' when "all teams" is chosen, else ''
 *
 * It reads GET /api/alerts?status=open and ?status=acked and renders one row per alert (a resolve
 * form, when opened, is a row of its own without an alert id). Everything a customer or a lead wrote
 * is set as text, never as HTML.
 */
import { element, fill } from './dom.js';

/**
 * The switch between the lead's team (the API's default view) and all teams, for a caller whose token
 * names a team (display only: the API decides what each view holds). Built once per team and kept
 * outside the panel, so the choice survives the panel's redraws like the filter bar's.
 */
export function renderTeamSwitch(holder, { team, texts, onChange }) {
  holder.hidden = !team;
  if (!team) {
    holder.replaceChildren();
    delete holder.dataset.team;
    return;
  }
  if (holder.dataset.team === team) return;
  holder.dataset.team = team;
  const radio = (value, label) => {
    const input = element('input', { type: 'radio', name: 'alert-team-view', id: `alert-team-${value}`, value, checked: value === 'mine' });
    input.addEventListener('change', onChange);
    return element('label', { htmlFor: input.id }, [input, ' ', label]);
  };
  const t = texts.teamView;
  holder.replaceChildren(
    element('fieldset', { className: 'alert-team' }, [
      element('legend', { textContent: t.legend }),
      radio('mine', fill(t.mine, { team })),
      ' ',
      radio('all', t.all),
    ]),
  );
}

export const teamViewOf = (holder) => (!holder.hidden && holder.querySelector('#alert-team-all')?.checked ? 'all' : '');

export async function renderAlertsPanel(container, { api, texts, language, teamView = () => '' }) {
  const a = texts.alertActions;
  const team = teamView() === 'all' ? '&team=all' : '';
  const [open, acked] = await Promise.all([api.get(`/api/alerts?status=open${team}`), api.get(`/api/alerts?status=acked${team}`)]);
  const alerts = [...(Array.isArray(open) ? open : []), ...(Array.isArray(acked) ? acked : [])].sort((x, y) =>
    String(y.createdAt).localeCompare(String(x.createdAt)),
  );
  if (alerts.length === 0) {
    container.replaceChildren(element('p', { className: 'empty', textContent: texts.alertsEmpty }));
    return 0;
  }

  const message = element('p', { id: 'alert-action-error', className: 'error', hidden: true });
  message.setAttribute('role', 'alert');

  const rerender = () => renderAlertsPanel(container, { api, texts, language, teamView });
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
      take.addEventListener('click', () => void act(path('ack'), {}));
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
        // Resolving an alert nobody took makes the resolver its owner (the API does it).
        void act(path('resolve'), { note: note.value.trim(), rootCause: cause.value });
      });
      row.after(formRow);
      note.focus();
    });
    actions.append(resolve);
  }
  container.replaceChildren(message, table);
  return alerts.length;
}
