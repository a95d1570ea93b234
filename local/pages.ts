/** Local-only pages: the index a person lands on after `npm start`, with scores, alerts and the SNS outbox. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Outbox } from './outbox.ts';

const INDEX = (sesUrl: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>ankieta — local</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.tiles{display:flex;gap:1rem;flex-wrap:wrap}.tile{border:1px solid #ccc;border-radius:8px;padding:1rem;min-width:180px}
.tile b{font-size:2rem;display:block}code{background:#f3f3f3;padding:.1rem .3rem}</style></head>
<body><h1>ankieta — local runtime</h1>
<p><a href="/dashboard">Dashboard</a> · Mails: <a href="${sesUrl}">${sesUrl}</a> · API: <code>/api/scores</code>, <code>/api/alerts</code> · SNS outbox: <a href="/local/outbox">/local/outbox</a></p>
<p id="login" hidden>Scores and alerts need a login: <a href="/dashboard">log in on the dashboard</a>, then come back in the same tab.</p>
<h2>Scores (30 days)</h2><div class="tiles" id="tiles"></div>
<h2>Alerts</h2><table><thead><tr><th>When</th><th>Kind</th><th>Customer</th><th>Survey</th><th>Score</th><th>Comment</th><th>Status</th></tr></thead><tbody id="alerts"></tbody></table>
<h2>Outbox (SMS and alerts as SNS would send them)</h2><table><thead><tr><th>When</th><th>Channel</th><th>To</th><th>Message</th></tr></thead><tbody id="outbox"></tbody></table>
<script>
// The dashboard's ID token (login.js keeps it in this tab's sessionStorage): a browser must log in.
const get = async (path) => {
  const token = sessionStorage.getItem('ankieta.idToken');
  const response = await fetch(path, { headers: token ? { authorization: 'Bearer ' + token } : {} });
  if (response.status === 401) document.getElementById('login').hidden = false;
  return response.ok ? response.json() : path.startsWith('/api/scores') ? {} : [];
};
const row = (cells) => { const tr = document.createElement('tr'); for (const c of cells) { const td = document.createElement('td'); td.textContent = c ?? ''; tr.append(td); } return tr; };
async function refresh() {
  const tiles = document.getElementById('tiles'); tiles.replaceChildren();
  for (const metric of ['nps', 'csat', 'ces']) {
    const s = await get('/api/scores?metric=' + metric + '&window=30d');
    const d = document.createElement('div'); d.className = 'tile';
    const b = document.createElement('b'); b.textContent = s.value == null ? '–' : s.value;
    d.append(metric.toUpperCase(), b, (s.responses ?? 0) + ' responses' + (s.marginOfError !== undefined ? ' · ±' + s.marginOfError : ''));
    tiles.append(d);
  }
  const alerts = await get('/api/alerts');
  document.getElementById('alerts').replaceChildren(...alerts.map((a) => row([a.createdAt, a.kind, a.customerId, a.survey, a.score, a.comment, a.status])));
  const outbox = await get('/local/outbox');
  document.getElementById('outbox').replaceChildren(...outbox.reverse().map((m) => row([m.at, m.channel, m.to, m.body])));
}
refresh(); setInterval(refresh, 3000);
</script></body></html>`;

export function localRoutes(deps: { outbox: Outbox; sesUrl: string }) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, body?: Buffer): Promise<boolean> => {
    // An SMS reply, with the JSON AWS End User Messaging SMS publishes: wrapped in the SNS event Lambda
    // would receive and given to the same handler (DESIGN.md "Local runtime").
    if (req.method === 'POST' && url.pathname === '/local/sms-inbound') {
      const [{ handler }, { snsEventOf }, { localContext }] = await Promise.all([
        import('../functions/sms-inbound/handler.ts'),
        import('../functions/adapters/sns/sns-event.ts'),
        import('./lambda-context.ts'),
      ]);
      const results = (await handler(snsEventOf((body ?? Buffer.alloc(0)).toString('utf8')), localContext('smsInbound'))) as Array<{ status: string }>;
      res.writeHead(results.every((r) => r.status === 'quarantined') ? 400 : 202, { 'content-type': 'application/json' });
      res.end(JSON.stringify(results));
      return true;
    }
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/local')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(INDEX(deps.sesUrl));
      return true;
    }
    return false;
  };
}
