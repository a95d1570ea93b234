/** The dashboard's HTML shell: structure and texts only; assets/dashboard.js fills in the figures. */
import { escapeHtml } from '#surveys/templates/html.ts';
import type { Language } from '#surveys/model.ts';
import type { DashboardTexts } from '#surveys/texts/index.ts';
import { fill } from '#surveys/texts/index.ts';
import { FUNNEL_TEXTS } from '#surveys/texts/funnel-dashboard.ts';
import { QUARANTINE_TEXTS } from '#surveys/texts/quarantine-dashboard.ts';
import { LOGIN_TEXTS } from '#surveys/texts/dashboard-login.ts';

const METRICS = ['nps', 'csat', 'ces'] as const;
const DIMENSIONS = ['store', 'team', 'agent', 'survey', 'channel', 'locale', 'evidence'] as const;

/** JSON for a <script type="application/json"> block: "<" escaped so no text can close the element. */
function jsonBlock(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

export function renderDashboardPage(language: Language, t: DashboardTexts): string {
  const e = escapeHtml;
  const other = language === 'pl' ? 'en' : 'pl';
  const tile = (m: (typeof METRICS)[number]) => `
      <article class="tile" data-metric="${m}" data-testid="tile-${m}">
        <h2>${e(t.metricNames[m])}</h2>
        <p class="value" data-field="value">–</p>
        <p class="moe" data-field="moe"></p>
        <p class="responses" data-field="responses"></p>
        <p class="hint">${e(t.metricHints[m])}</p>
        <p class="flag" data-field="flag" hidden>${e(t.smallSample)}</p>
      </article>`;
  return `<!doctype html>
<html lang="${language}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>${e(t.title)} — ankieta</title>
  <link rel="stylesheet" href="/dashboard/assets/uPlot.min.css">
  <link rel="stylesheet" href="/dashboard/assets/dashboard.css">
  <link rel="stylesheet" href="/dashboard/assets/funnel.css">
  <script type="application/json" id="dashboard-texts">${jsonBlock({ language, ...t })}</script>
  <script type="application/json" id="funnel-texts">${jsonBlock(FUNNEL_TEXTS[language])}</script>
  <script type="application/json" id="quarantine-texts">${jsonBlock(QUARANTINE_TEXTS[language])}</script>
  <script type="application/json" id="login-texts">${jsonBlock(LOGIN_TEXTS[language])}</script>
  <script src="/dashboard/assets/uPlot.iife.min.js" defer></script>
  <script type="module" src="/dashboard/assets/dashboard.js"></script>
</head>
<body>
  <header>
    <h1>${e(t.title)}</h1>
    <nav>
      <label>${e(t.window)}
        <select id="window">${[7, 30, 90].map((d) => `<option value="${d}d"${d === 30 ? ' selected' : ''}>${e(fill(t.windowDays, { days: d }))}</option>`).join('')}</select>
      </label>
      <label><input type="checkbox" id="strong-only"> ${e(t.strongOnly)}</label>
      <button type="button" id="refresh">${e(t.refresh)}</button>
      <a href="/dashboard?lang=${other}" hreflang="${other}" lang="${other}">${e(t.switchLanguage)}</a>
      <span id="who" data-testid="who" hidden></span>
      <button type="button" id="logout" hidden>${e(LOGIN_TEXTS[language].logOut)}</button>
    </nav>
  </header>
  <main>
    <section id="login-panel" hidden>
      <p>${e(LOGIN_TEXTS[language].prompt)}</p>
      <button type="button" id="login-button">${e(LOGIN_TEXTS[language].logIn)}</button>
    </section>
    <p class="error" id="login-error" role="alert" hidden></p>
    <p class="error" id="load-error" role="alert" hidden></p>
    <section class="tiles" aria-live="polite">${METRICS.map(tile).join('')}
    </section>
    <p id="evidence-mix" data-testid="evidence-mix"></p>
    <section class="funnel" aria-labelledby="funnel-title">
      <h2 id="funnel-title">${e(FUNNEL_TEXTS[language].title)}</h2>
      <div id="funnel" data-testid="funnel"></div>
    </section>
    <section class="trend">
      <h2 id="trend-title"></h2>
      <label>${e(t.metric)} <select id="trend-metric">${METRICS.map((m) => `<option value="${m}">${e(t.metricNames[m])}</option>`).join('')}</select></label>
      <div id="chart" data-testid="chart"></div>
    </section>
    <section class="segments">
      <h2>${e(t.segmentsTitle)}</h2>
      <label>${e(t.metric)} <select id="segment-metric">${METRICS.map((m) => `<option value="${m}">${e(t.metricNames[m])}</option>`).join('')}</select></label>
      <label>${e(t.segmentBy)} <select id="dimension">${DIMENSIONS.map((d) => `<option value="${d}">${e(t.dimensions[d])}</option>`).join('')}</select></label>
      <table id="segments">
        <thead><tr><th>${e(t.columns.segment)}</th><th>${e(t.columns.value)}</th><th>${e(t.columns.marginOfError)}</th><th>${e(t.columns.responses)}</th><th>${e(t.columns.flag)}</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
    <section class="drivers">
      <h2>${e(t.drivers.title)}</h2>
      <label>${e(t.metric)} <select id="drivers-metric">${METRICS.map((m) => `<option value="${m}">${e(t.metricNames[m])}</option>`).join('')}</select></label>
      <div id="drivers" data-testid="drivers"></div>
    </section>
    <section class="alerts">
      <h2>${e(t.alertsTitle)}</h2>
      <div id="alert-team" hidden></div>
      <div id="alert-filters"></div>
      <div id="alerts"></div>
    </section>
    <section class="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">${e(FUNNEL_TEXTS[language].comments.title)}</h2>
      <div id="comments" data-testid="comments"></div>
    </section>
    <section class="quarantine" aria-labelledby="quarantine-title">
      <h2 id="quarantine-title">${e(QUARANTINE_TEXTS[language].title)}</h2>
      <div id="quarantine" data-testid="quarantine"></div>
    </section>
    <section class="export">
      <h2>${e(t.exportTitle)}</h2>
      <p><a id="export-scores" href="/api/export/scores" download>${e(t.exportScores)}</a> · <a id="export-responses" href="/api/export/responses" download>${e(t.exportResponses)}</a></p>
    </section>
  </main>
</body>
</html>`;
}
