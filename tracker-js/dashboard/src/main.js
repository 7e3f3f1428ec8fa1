// The Vantage dashboard: sign-in, site and period, KPI cards, chart, breakdowns, segments (filter
// chips), peak hours, visitor profiles, what was filtered, live updates pushed by the server.
import { Api, ApiError } from './api.js';
import { $, fill, h } from './dom.js';
import { drawChart } from './chart.js';
import { delta, dimensionLabel, format, label, METRICS, siteTime } from './format.js';
import { Panel, PANELS, estimatedMetrics } from './panels.js';
import {
  COMPARISONS, PERIODS, apiFilters, compareDates, dateRange, interval, intervals, isFuture, parseState, stateQuery, todayIn,
  withFilter, withoutFilter,
} from './state.js';

let state = parseState(location.search, location.pathname);
let api = null;
let admin = false;
let site = null;
let sites = [];
let stopLive = null;
let lastRefresh = 0;
let pendingRefresh = 0;
let scheduled = 0;
let refreshing = null;
let chartMetric = sessionStorage.getItem('vantage.chart') || 'visitors';
let destroyChart = null;
const panels = PANELS.map((spec) => new Panel(spec, (f) => go(withFilter(state, f))));

/** The token: a shared link's key (from the fragment, which browsers never send) or the signed-in one. */
function token() {
  if (state.shared) {
    const key = new URLSearchParams(location.hash.slice(1)).get('key');
    if (key) sessionStorage.setItem('vantage.share.' + state.site, key);
    return sessionStorage.getItem('vantage.share.' + state.site);
  }
  return sessionStorage.getItem('vantage.token');
}

async function start() {
  applyTheme(localStorage.getItem('vantage.theme'));
  $('theme').addEventListener('click', () => {
    const dark = document.documentElement.dataset.theme !== 'dark';
    localStorage.setItem('vantage.theme', dark ? 'dark' : 'light');
    applyTheme(dark ? 'dark' : 'light');
    if (site) refresh();
  });
  $('signin-form').addEventListener('submit', (e) => { e.preventDefault(); signIn(); });
  $('signout').addEventListener('click', signOut);
  window.addEventListener('popstate', () => { state = parseState(location.search, location.pathname); open(); });
  const t = token();
  if (!t) return showSignIn(state.shared ? 'This shared link has no key.' : '');
  api = new Api(t);
  try {
    await open();
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return showSignIn('That token or key was not accepted.');
    showError(e);
  }
}

async function signIn() {
  const t = $('signin-token').value.trim();
  const s = $('signin-site').value.trim();
  api = new Api(t);
  try {
    admin = await isAdmin();
    if (!admin && !s) throw new Error('With a read key, name its site.');
    sessionStorage.setItem('vantage.token', t);
    if (s) state = { ...state, site: s };
    history.replaceState(null, '', location.pathname + stateQuery(state));
    await open();
  } catch (e) {
    $('signin-error').textContent = e instanceof ApiError && (e.status === 401 || e.status === 403) ? 'That token or key was not accepted.' : e.message;
  }
}

function signOut() {
  sessionStorage.removeItem('vantage.token');
  if (state.shared) sessionStorage.removeItem('vantage.share.' + state.site);
  if (stopLive) stopLive();
  location.assign('/');
}

async function isAdmin() {
  try {
    sites = await api.get('/api/sites');
    return true;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return false;
    throw e;
  }
}

/** Opens the state's site (the admin's first site when none is named) and draws everything. */
async function open() {
  if (!state.shared) admin = await isAdmin();
  if (!state.site && admin && sites.length) state = { ...state, site: sites[0].id };
  if (!state.site) return showSignIn(admin ? 'There is no site yet: create one with POST /api/sites.' : 'Name the site of this read key.');
  site = await api.get('/api/sites/' + encodeURIComponent(state.site));
  $('signin').hidden = true;
  $('app').hidden = false;
  document.body.classList.toggle('admin', admin);
  drawControls();
  await refresh();
  live();
  drawFiltered();
}

function showSignIn(message) {
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message || '';
  $('signin-site').value = state.site || '';
}

function showError(e) {
  $('status').textContent = e.message;
  $('status').className = 'error';
}

function applyTheme(theme) {
  const dark = theme ? theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  $('theme').textContent = dark ? 'Light' : 'Dark';
}

/** Moves to a new state: the URL keeps it (bookmarkable, shareable), then the page redraws. */
async function go(next) {
  state = next;
  history.pushState(null, '', location.pathname + stateQuery(state) + location.hash);
  if (state.site !== site.id) {
    site = await api.get('/api/sites/' + encodeURIComponent(state.site));
    live();
  }
  drawControls();
  refresh();
}

function option(value, text, selected) {
  return h('option', { value, selected: value === selected }, text);
}

function drawControls() {
  const picker = $('site');
  fill(picker, (admin ? sites : [site]).map((s) => option(s.id, s.domain ? `${s.id} (${s.domain})` : s.id, state.site)));
  picker.disabled = !admin;
  // A shared view is of its one site: no picker (a read key's own view shows its site's name in it).
  picker.hidden = state.shared;
  picker.onchange = () => go({ ...state, site: picker.value, filters: [] });
  fill($('period'), PERIODS.map(([v, t]) => option(v, t, state.period)));
  $('period').onchange = () => {
    const p = $('period').value;
    if (p === 'custom') {
      const today = todayIn(site.timezone);
      go({ ...state, period: 'custom', from: state.from || today, to: state.to || today });
    } else go({ ...state, period: p, from: null, to: null, compare: p === 'realtime' ? '' : state.compare });
  };
  $('custom').hidden = state.period !== 'custom';
  $('from').value = state.from || '';
  $('to').value = state.to || '';
  $('from').onchange = $('to').onchange = () => {
    const from = $('from').value;
    const to = $('to').value || from;
    if (from) go({ ...state, period: 'custom', from, to: to < from ? from : to });
  };
  fill($('compare'), COMPARISONS.map(([v, t]) => option(v, t, state.compare)));
  $('compare').disabled = state.period === 'realtime';
  $('compare').onchange = () => go({ ...state, compare: $('compare').value });
  const today = todayIn(site.timezone);
  fill($('interval'), intervals(state, today).map((i) => option(i, i, interval(state, today))));
  $('interval').onchange = () => go({ ...state, interval: $('interval').value });
  fill($('chart-metric'), ['visitors', 'visits', 'pageviews', 'events', 'bounce_rate', 'visit_duration', 'conversions']
    .map((m) => option(m, label(m), chartMetric)));
  $('chart-metric').onchange = () => { chartMetric = $('chart-metric').value; sessionStorage.setItem('vantage.chart', chartMetric); refresh(); };
  fill($('chips'), state.filters.map((f, i) => h('span', { class: 'chip', 'data-dimension': f.dimension },
    h('span', {}, `${dimensionLabel(f.dimension)} ${f.op.replace('_', ' ')} `), h('strong', {}, f.value),
    h('button', { type: 'button', class: 'remove', 'aria-label': 'Remove filter', onclick: () => go(withoutFilter(state, i)) }, '×'))));
  $('share').hidden = state.shared || !admin;
}

/** Redraws every number of the page from the API (at most one refresh in flight; one more queued). */
async function refresh() {
  if (refreshing) { pendingRefresh = 1; return refreshing; }
  document.body.dataset.busy = '1';
  refreshing = draw().catch(showError).finally(() => {
    refreshing = null;
    lastRefresh = Date.now();
    if (pendingRefresh) { pendingRefresh = 0; refresh(); } else delete document.body.dataset.busy;
  });
  return refreshing;
}

async function draw() {
  const today = todayIn(site.timezone);
  const range = dateRange(state, today);
  const previous = compareDates(state, today);
  const base = { site_id: site.id, filters: apiFilters(state) };
  const iv = interval(state, today);
  const metrics = METRICS.map(([k]) => k);
  // All asked at once; each part drawn as soon as its answers are in (the cards first).
  const kpis = Promise.all([api.query({ ...base, metrics, date_range: range }),
    previous ? api.query({ ...base, metrics, date_range: previous }) : null]).then(([totals, before]) => drawKpis(totals, before));
  const chart = Promise.all([
    api.query({ ...base, metrics: [chartMetric], date_range: range, dimensions: ['time:' + iv], include: { time_labels: true } }),
    previous ? api.query({ ...base, metrics: [chartMetric], date_range: previous, dimensions: ['time:' + iv], include: { time_labels: true } }) : null,
  ]).then(([series, beforeSeries]) => drawSeries(series, beforeSeries, iv));
  await Promise.all([kpis, chart, ...panels.map((p) => p.load(api, { ...base, date_range: range })), peakHours(base, range, today)]);
  $('status').className = '';
  $('status').textContent = 'Updated ' + new Date().toLocaleTimeString();
  // How many times the page was drawn: the browser tests wait on it.
  document.body.dataset.drawn = String(Number(document.body.dataset.drawn || 0) + 1);
}

function drawKpis(totals, before) {
  const estimated = estimatedMetrics(totals);
  const now = totals.results[0] ? totals.results[0].metrics : [];
  const then = before && before.results[0] ? before.results[0].metrics : null;
  fill($('kpis'), METRICS.map(([k], i) => {
    const d = then ? delta(k, now[i], then[i]) : null;
    return h('div', { class: 'kpi', 'data-metric': k },
      h('div', { class: 'label' }, label(k)),
      h('div', { class: 'value' + (estimated.has(k) ? ' estimate' : ''), title: estimated.has(k) ? 'estimate' : null },
        (estimated.has(k) ? '≈' : '') + format(k, now[i])),
      d ? h('div', { class: 'delta ' + (d.good == null ? '' : d.good ? 'good' : 'bad'), title: 'previous: ' + format(k, then[i]) }, d.text) : null);
  }));
}

/** A series' values by its labels: empty buckets are 0, buckets that have not begun (`today`: the site's) none. */
function seriesValues(res, today) {
  const byLabel = new Map(res.results.map((r) => [r.dimensions[0], r.metrics[0]]));
  const labels = res.meta.time_labels || res.results.map((r) => r.dimensions[0]);
  return { labels, values: labels.map((l) => (today && isFuture(l, today) ? null : byLabel.get(l) || 0)) };
}

function drawSeries(series, beforeSeries, iv) {
  const now = seriesValues(series, todayIn(site.timezone));
  const then = beforeSeries ? seriesValues(beforeSeries) : null;
  if (destroyChart) destroyChart();
  $('chart-title').textContent = label(chartMetric);
  destroyChart = drawChart($('chart'), { labels: now.labels, interval: iv, metric: chartMetric, values: now.values,
    previous: then && then.values, previousLabels: then && then.labels });
}

/** Visits by hour of day, and by weekday and hour (from hourly buckets, up to 92 days). */
async function peakHours(base, range, today) {
  if (state.period === 'realtime') {
    fill($('hours'), h('p', { class: 'muted' }, 'Peak hours need a period of days.'));
    fill($('heatmap'));
    return;
  }
  const hours = await api.query({ ...base, date_range: range, metrics: ['visits'], dimensions: ['time:hour_of_day'] });
  const byHour = new Map(hours.results.map((r) => [Number(r.dimensions[0]), r.metrics[0]]));
  const max = Math.max(1, ...byHour.values());
  fill($('hours'), Array.from({ length: 24 }, (_, hour) => {
    const v = byHour.get(hour) || 0;
    const bar = h('span', { class: 'col' });
    bar.style.height = (100 * v / max) + '%';
    return h('div', { class: 'hour', title: `${hour}:00 – ${v.toLocaleString('en-US')} visits`, 'data-hour': hour, 'data-visits': v },
      bar, h('span', { class: 'tick' }, hour % 6 === 0 ? String(hour) : ''));
  }));
  if (!intervals(state, today).includes('hour')) {
    fill($('heatmap'), h('p', { class: 'muted' }, 'Hour by weekday covers up to 92 days.'));
    return;
  }
  const hourly = await api.query({ ...base, date_range: range, metrics: ['visits'], dimensions: ['time:hour'] });
  const cells = Array.from({ length: 7 }, () => new Array(24).fill(0));
  for (const r of hourly.results) {
    const text = String(r.dimensions[0]);
    const weekday = (new Date(text.slice(0, 10) + 'T00:00:00Z').getUTCDay() + 6) % 7; // Monday first
    cells[weekday][Number(text.slice(11, 13))] += r.metrics[0];
  }
  const top = Math.max(1, ...cells.flat());
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  fill($('heatmap'), cells.map((row, d) => h('div', { class: 'heat-row' }, h('span', { class: 'day' }, days[d]),
    row.map((v, hour) => {
      const cell = h('span', { class: 'cell', title: `${days[d]} ${hour}:00 – ${v.toLocaleString('en-US')} visits` });
      cell.style.opacity = String(v ? 0.15 + 0.85 * v / top : 0.05);
      return cell;
    }))));
}

/** The server pushes when new events were processed; the page then redraws (at most once a second). */
function live() {
  if (stopLive) stopLive();
  stopLive = api.stream('/api/sites/' + encodeURIComponent(site.id) + '/live', (name, data) => {
    if (name !== 'update') return;
    $('now').textContent = data.realtime_visitors.toLocaleString('en-US');
    if (data.changed && !scheduled) {
      // At once, unless the page was drawn less than a second ago: then a second after that draw.
      scheduled = setTimeout(() => { scheduled = 0; refresh(); }, Math.max(0, 1000 - (Date.now() - lastRefresh)));
    }
  }, (up) => { $('live').className = up ? 'live on' : 'live'; $('live').title = up ? 'live: pushed by the server' : 'reconnecting'; });
}

// Visitor profiles
async function lookUpProfile(e) {
  e.preventDefault();
  const id = $('profile-id').value.trim();
  if (!id) {
    fill($('profile'));
    return;
  }
  try {
    const p = await api.get(`/api/sites/${encodeURIComponent(site.id)}/visitors/${encodeURIComponent(id)}`);
    const at = (iso) => siteTime(iso, site.timezone);
    const rows = [['First seen', at(p.first_seen)], ['Last seen', at(p.last_seen)], ['First page', p.first_page], ['Last page', p.last_page],
      ['Visits', p.visits], ['Events', p.events], ['Pageviews', p.pageviews], ['Conversions', p.conversions],
      ['Latest visit', p.latest_visit && `${at(p.latest_visit.started)} ${p.latest_visit.first_page} → ${p.latest_visit.last_page}`],
      ...Object.entries(p.traits || {}).map(([k, v]) => ['Trait: ' + k, v])];
    fill($('profile'), h('dl', {}, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v == null ? '–' : String(v))])));
  } catch (err) {
    fill($('profile'), h('p', { class: err.status === 404 ? 'muted' : 'error' }, err.message));
  }
}

// What was filtered (admin): bots, bad events, rate-limited requests, by reason.
async function drawFiltered() {
  if (!admin) return;
  try {
    const f = await api.get('/api/filtered');
    fill($('filtered'), h('p', { class: 'muted' }, f.scope),
      h('table', {}, f.reasons.length ? f.reasons.map((r) => h('tr', {}, h('td', {}, r.stage), h('td', {}, r.reason),
        h('td', { class: 'n' }, r.count.toLocaleString('en-US')))) : h('tr', {}, h('td', { class: 'muted' }, 'Nothing was filtered.'))));
  } catch (err) {
    fill($('filtered'), h('p', { class: 'error' }, err.message));
  }
}

/** The admin makes a read key for the link (revocable on its own: DELETE /api/sites/{id}/read-keys/{key id}). */
async function shareLink() {
  try {
    const made = await api.request('POST', `/api/sites/${encodeURIComponent(site.id)}/read-keys`);
    const q = stateQuery({ ...state, shared: true });
    $('share-url').value = `${location.origin}/share/${encodeURIComponent(site.id)}${q}#key=${encodeURIComponent(made.read_key)}`;
    $('share-url').title = `read key ${made.id}: revoke it to end this link`;
    $('share-url').hidden = false;
    $('share-url').select();
  } catch (e) {
    showError(e);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('panels').append(...panels.map((p) => p.el));
  $('profile-form').addEventListener('submit', lookUpProfile);
  $('filtered-refresh').addEventListener('click', drawFiltered);
  $('share').addEventListener('click', shareLink);
  start();
});
