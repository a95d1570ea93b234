/**
 * The files the dashboard page loads, by the name in their URL, and where they are in the repository.
 * Pure data: the handler serves them, and the CDK stack copies them next to the bundle.
 */
export const DASHBOARD_ASSETS: Readonly<Record<string, { source: string; type: string }>> = {
  'dashboard.js': { source: 'functions/dashboard/assets/dashboard.js', type: 'text/javascript' },
  'dom.js': { source: 'functions/dashboard/assets/dom.js', type: 'text/javascript' },
  'panel.js': { source: 'functions/dashboard/assets/panel.js', type: 'text/javascript' },
  'alerts-panel.js': { source: 'functions/dashboard/assets/alerts-panel.js', type: 'text/javascript' },
  'login.js': { source: 'functions/dashboard/assets/login.js', type: 'text/javascript' },
  'drivers-panel.js': { source: 'functions/dashboard/assets/drivers-panel.js', type: 'text/javascript' },
  'dashboard.css': { source: 'functions/dashboard/assets/dashboard.css', type: 'text/css' },
  'funnel-panel.js': { source: 'functions/dashboard/assets/funnel-panel.js', type: 'text/javascript' },
  'score-split.js': { source: 'functions/dashboard/assets/score-split.js', type: 'text/javascript' },
  'trend-chart.js': { source: 'functions/dashboard/assets/trend-chart.js', type: 'text/javascript' },
  'alerts-filters.js': { source: 'functions/dashboard/assets/alerts-filters.js', type: 'text/javascript' },
  'comments-feed.js': { source: 'functions/dashboard/assets/comments-feed.js', type: 'text/javascript' },
  'quarantine-panel.js': { source: 'functions/dashboard/assets/quarantine-panel.js', type: 'text/javascript' },
  'funnel.css': { source: 'functions/dashboard/assets/funnel.css', type: 'text/css' },
  'uPlot.iife.min.js': { source: 'node_modules/uplot/dist/uPlot.iife.min.js', type: 'text/javascript' },
  'uPlot.min.css': { source: 'node_modules/uplot/dist/uPlot.min.css', type: 'text/css' },
};

/** Where the bundle keeps them: `assets/<name>` beside index.mjs. */
export const DASHBOARD_BUNDLE_FILES = Object.entries(DASHBOARD_ASSETS).map(([name, { source }]) => ({ from: source, to: `assets/${name}` }));
