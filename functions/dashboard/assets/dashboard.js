/**
 * The dashboard's figures: tiles (NPS, CSAT, CES with margin of error), the trend chart (uPlot),
 * the segment table and the open alerts, all read from the read API as the signed-in lead: the ID
 * token from the login (login.js: authorization code + PKCE) travels as the bearer, and a 401 asks
 * to log in. Numbers are shown as the API gives them, in the page's language.
 */
import { fill } from './dom.js';
import { applyAlertFilters } from './alerts-filters.js';
import { renderAlertsPanel, renderTeamSwitch, teamViewOf } from './alerts-panel.js';
import { renderDriversPanel } from './drivers-panel.js';
import { renderCommentsFeed } from './comments-feed.js';
import { renderFunnelPanel } from './funnel-panel.js';
import { renderQuarantinePanel } from './quarantine-panel.js';
import { renderScoreSplit } from './score-split.js';
import { loadTrend, renderTrendChart } from './trend-chart.js';
import { bearer, finishLogin, forget, loadLogin, logout, startLogin, whoIs } from './login.js';

const texts = JSON.parse(document.getElementById('dashboard-texts').textContent);
const funnelTexts = JSON.parse(document.getElementById('funnel-texts').textContent);
const quarantineTexts = JSON.parse(document.getElementById('quarantine-texts').textContent);
const loginTexts = JSON.parse(document.getElementById('login-texts').textContent);
const language = texts.language;
const $ = (id) => document.getElementById(id);
const number = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });

class Unauthorized extends Error {}
class Forbidden extends Error {}

async function request(path, init = {}) {
  const token = bearer();
  const headers = { accept: 'application/json', ...(init.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) throw new Unauthorized();
  if (response.status === 403) throw new Forbidden(loginTexts.forbidden);
  if (!response.ok) throw new Error(`${response.status} ${(await response.text()).slice(0, 200)}`);
  return response;
}

export const api = {
  get: async (path) => (await request(path)).json(),
  post: async (path, body) =>
    (await request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) })).json(),
};

let login = { login: false };

/** A 401: the token is missing, expired or refused; the login panel offers to log in (again). */
function askToLogIn() {
  forget();
  showWho();
  $('login-panel').hidden = false;
  $('login-button').focus();
}

function showWho() {
  const token = bearer();
  const who = token ? whoIs(token) : undefined;
  $('who').hidden = !who;
  $('logout').hidden = !who || !login.login;
  if (who) $('who').textContent = fill(loginTexts.loggedInAs, { name: who.name, roles: who.roles.map((r) => loginTexts.roles[r] ?? r).join(', ') || '–' });
}

$('login-button').addEventListener('click', () => void startLogin(login, language));
$('logout').addEventListener('click', () => logout(login, language));

const show = (el, text) => {
  el.textContent = text;
};

function renderTile(metric, s) {
  const tile = document.querySelector(`.tile[data-metric="${metric}"]`);
  const field = (name) => tile.querySelector(`[data-field="${name}"]`);
  tile.dataset.value = s.value === null ? '' : String(s.value);
  tile.dataset.responses = String(s.responses);
  tile.dataset.marginOfError = s.marginOfError === undefined ? '' : String(s.marginOfError);
  show(field('value'), s.value === null ? texts.noData : number.format(s.value));
  show(field('moe'), s.marginOfError === undefined ? '' : fill(texts.marginOfError, { moe: number.format(s.marginOfError) }));
  show(field('responses'), fill(texts.responses, { count: number.format(s.responses) }));
  field('flag').hidden = !(s.smallSample && s.responses > 0);
}

function renderSegments(result) {
  const rows = (result.segments ?? []).map((s) => {
    const tr = document.createElement('tr');
    tr.dataset.key = s.key;
    const cells = [
      s.key,
      s.value === null ? texts.noData : number.format(s.value),
      s.marginOfError === undefined ? '' : number.format(s.marginOfError),
      number.format(s.responses),
      s.smallSample ? texts.smallSample : '',
    ];
    for (const value of cells) {
      const td = document.createElement('td');
      td.textContent = value;
      tr.append(td);
    }
    return tr;
  });
  $('segments').tBodies[0].replaceChildren(...rows);
  $('segments').dataset.loaded = `${result.metric}:${result.segment}:${result.window}`;
}

/** How the answers were confirmed (read only, touched the page, Send, SMS, import), from the evidence segments. */
function renderEvidenceMix(result) {
  const mix = (result.segments ?? []).map((s) => `${texts.evidenceKinds[s.key] ?? s.key} ${number.format(s.responses)}`).join(' · ');
  show($('evidence-mix'), mix ? fill(texts.evidenceMix, { metric: texts.metricNames[result.metric], mix }) : '');
}

let chart;
async function renderTrend(metric) {
  const trend = await loadTrend(api, metric);
  show($('trend-title'), `${fill(texts.windowDays, { days: 90 })}, ${trend.weekly ? funnelTexts.weekly : funnelTexts.daily}`);
  chart?.destroy();
  chart = renderTrendChart($('chart'), trend, { texts, language, extra: funnelTexts });
}

/** Each panel below fails on its own: the scores above stay, and the key is not asked for again. */
async function renderOnItsOwn(id, render) {
  try {
    await render($(id));
  } catch (error) {
    const message = document.createElement('p');
    message.className = 'error';
    message.textContent = fill(texts.loadFailed, { error: error instanceof Unauthorized ? '401' : error.message });
    $(id).replaceChildren(message);
  }
}
const renderFunnel = () => renderOnItsOwn('funnel', (el) => renderFunnelPanel(el, { api, texts: funnelTexts, language, window: windowValue() }));
const renderComments = () => renderOnItsOwn('comments', (el) => renderCommentsFeed(el, { api, texts: funnelTexts, language }));
/** Rejected input is for admins (it may name customers): other roles do not see the panel at all. */
const renderQuarantine = () =>
  renderOnItsOwn('quarantine', async (el) => {
    try {
      await renderQuarantinePanel(el, { api, texts: quarantineTexts, language });
      el.closest('section').hidden = false;
    } catch (error) {
      if (!(error instanceof Forbidden)) throw error;
      el.closest('section').hidden = true;
    }
  });

const renderAlerts = () =>
  renderOnItsOwn('alerts', async (el) => {
    const token = bearer();
    renderTeamSwitch($('alert-team'), { team: token ? whoIs(token).team : '', texts: funnelTexts.alerts, onChange: () => void renderAlerts() });
    await renderAlertsPanel(el, { api, texts, language, teamView: () => teamViewOf($('alert-team')) });
    applyAlertFilters($('alert-filters'), el, { api, texts: funnelTexts, language });
  });
const renderDrivers = () =>
  renderOnItsOwn('drivers', (el) => renderDriversPanel(el, { api, texts, language, metric: $('drivers-metric').value, window: windowValue() }));

function windowValue() {
  return $('window').value;
}

async function refresh() {
  $('load-error').hidden = true;
  try {
    const win = windowValue();
    const evidence = $('strong-only').checked ? '&evidence=strong' : '';
    const [nps, csat, ces] = await Promise.all(['nps', 'csat', 'ces'].map((m) => api.get(`/api/scores?metric=${m}&window=${win}${evidence}`)));
    renderTile('nps', nps);
    renderTile('csat', csat);
    renderTile('ces', ces);
    for (const summary of [nps, csat, ces])
      renderScoreSplit(document.querySelector(`.tile[data-metric="${summary.metric}"]`), summary, { texts: funnelTexts, language });
    await renderFunnel();
    const segments = await api.get(`/api/scores?metric=${$('segment-metric').value}&window=${win}&segment=${$('dimension').value}`);
    renderSegments(segments);
    renderEvidenceMix(await api.get(`/api/scores?metric=${$('segment-metric').value}&window=${win}&segment=evidence`));
    await renderTrend($('trend-metric').value);
    await renderDrivers();
    await renderAlerts();
    await renderComments();
    await renderQuarantine();
    $('login-panel').hidden = true;
    document.body.dataset.loaded = String(Date.now());
  } catch (error) {
    if (error instanceof Unauthorized) return askToLogIn();
    $('load-error').hidden = false;
    show($('load-error'), fill(texts.loadFailed, { error: error.message }));
  }
}

/** Exports go through fetch (the key travels in a header), following the API's pages (Link: rel="next"). */
async function download(path, filename) {
  let next = path;
  const parts = [];
  while (next) {
    const response = await request(next, { headers: { accept: 'text/csv' } });
    const text = await response.text();
    parts.push(parts.length ? text.slice(text.indexOf('\n') + 1) : text); // the header once
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function exportRange() {
  const days = Number(windowValue().replace('d', ''));
  const to = new Date();
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

for (const [id, kind] of [
  ['export-scores', 'scores'],
  ['export-responses', 'responses'],
]) {
  $(id).addEventListener('click', (event) => {
    event.preventDefault();
    const { from, to } = exportRange();
    download(`/api/export/${kind}?from=${from}&to=${to}`, `ankieta-${kind}-${from}-${to}.csv`).catch((error) => {
      if (error instanceof Unauthorized) askToLogIn();
      else show($('load-error'), fill(texts.loadFailed, { error: error.message }));
    });
  });
}

for (const id of ['window', 'trend-metric', 'segment-metric', 'dimension', 'strong-only']) $(id).addEventListener('change', () => void refresh());
$('refresh').addEventListener('click', () => void refresh());
$('drivers-metric').addEventListener('change', () => void renderDrivers());
setInterval(() => void refresh(), 60_000);

/** First the return from the login (if this is one), then the figures. */
async function start() {
  try {
    login = await loadLogin();
    await finishLogin(login);
  } catch (error) {
    $('login-error').textContent = fill(loginTexts.failed, { error: error.message });
    $('login-error').hidden = false;
  }
  showWho();
  await refresh();
}
void start();
