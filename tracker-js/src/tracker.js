// Vantage tracker: <script defer src="https://HOST/tracker.js" data-site="SITE"></script>
// See ../ARCHITECTURE.md for its parts and the size budget.
import { allowed, linkKind, backoff, bound, outcome, uid } from './core.js';

const w = window, d = document, n = navigator, ls = (() => { try { return w.localStorage; } catch (e) { return null; } })();
const s = d.currentScript;
const opt = (k) => s && s.getAttribute('data-' + k);
const on = (k, dflt) => { const v = opt(k); return v == null ? dflt : v !== 'false'; };
const site = opt('site');
const api = (opt('api') || (s && new URL(s.src).origin)) + '/collect';
const cookieless = on('cookieless', false);
const QKEY = 'vantage_q', IDKEY = 'vantage_id';
let consent = !on('require-consent', false);
let queue = [], mem = [], inMemory = cookieless || !ls, timer = 0, failures = 0, retrying = 0;
const inflight = new Set();
let lastPath = '', scrollMax = 0, engaged = 0, visibleSince = Date.now(), visible = d.visibilityState !== 'hidden';

// Returns false when storage is off or full, so callers keep the data in memory instead.
const store = (k, v) => { if (cookieless || !ls) return false; try { v == null ? ls.removeItem(k) : ls.setItem(k, v); return true; } catch (e) { return false; } };
const load = (k) => { try { return !cookieless && ls ? ls.getItem(k) : null; } catch (e) { return null; } };

const active = site && allowed(
  { dnt: n.doNotTrack || w.doNotTrack, optedOut: (() => { try { return ls.getItem('vantage_ignore') === 'true'; } catch (e) { return false; } })(),
    host: location.hostname, webdriver: n.webdriver },
  { localhost: on('localhost', false), automation: on('automation', false) });

let visitor = load(IDKEY);
// The id is made (and stored) only once tracking is allowed, so nothing is written before consent.
const identity = () => { if (!cookieless && !visitor) { visitor = uid(); store(IDKEY, visitor); } };
if (consent) identity();

function send(type, extra) {
  if (!active || !consent) return;
  const e = Object.assign({ site, type, ts: Date.now(), event_id: uid(), url: location.href }, extra);
  if (visitor && !cookieless) e.visitor_id = visitor;
  queue.push(e);
  // Page views go at once (they are what a live dashboard shows first); the rest is batched.
  if (queue.length >= 20 || type === 'pageview') flush(); else if (!timer) timer = setTimeout(flush, 2000);
}

// The outbox holds every event until the collector acknowledged it: in localStorage (so a reload or
// an outage loses nothing), in memory in cookieless mode. Sending is at-least-once; the collector
// counts an event_id once, so a resend after a lost answer is harmless.
function box() {
  const v = inMemory ? null : load(QKEY);
  return v ? JSON.parse(v) : mem;
}

function keep(list) {
  list = bound(list, 500);
  mem = list;
  // Storage off or full: the outbox lives in memory from now on rather than lose events.
  if (!inMemory && !store(QKEY, list.length ? JSON.stringify(list) : null)) { inMemory = true; store(QKEY, null); }
}

function flush() {
  clearTimeout(timer); timer = 0;
  if (queue.length) { keep(box().concat(queue)); queue = []; }
  const ready = box().filter((e) => !inflight.has(e.event_id));
  for (let i = 0; i < ready.length; i += 100) post(ready.slice(i, i + 100));
}

function post(part) {
  const now = Date.now();
  part.forEach((e) => inflight.add(e.event_id));
  const body = JSON.stringify(part.map((e) => Object.assign({}, e, { sent_at: now })));
  const done = (ok) => {
    part.forEach((e) => inflight.delete(e.event_id));
    if (ok) {
      const sent = new Set(part.map((e) => e.event_id));
      keep(box().filter((e) => !sent.has(e.event_id)));
      failures = 0;
    } else {
      failures++;
      if (!retrying) retrying = setTimeout(() => { retrying = 0; flush(); }, backoff(failures));
    }
  };
  if (w.fetch) {
    fetch(api, { method: 'POST', body, keepalive: body.length < 60000, headers: { 'Content-Type': 'text/plain' } })
      .then((r) => done(outcome(r.status) !== 'retry'), () => done(false));
  } else done(!!(n.sendBeacon && n.sendBeacon(api, body)));
}

function pageview() {
  const path = location.pathname + location.search + location.hash;
  if (path === lastPath) return;
  if (lastPath) leave();
  lastPath = path;
  send('pageview', { referrer: d.referrer || undefined, title: d.title, screen: w.screen && screen.width + 'x' + screen.height, language: n.language });
}

function leave() {
  if (scrollMax && on('scroll', true)) send('scroll', { scroll_pct: scrollMax });
  scrollMax = 0;
  engage();
}

function engage() {
  const now = Date.now();
  if (visible) engaged += now - visibleSince;
  visibleSince = now;
  if (engaged > 1000 && on('engagement', true)) send('engagement', { engaged_ms: engaged });
  engaged = 0;
}

function describe(el) {
  return { target: el.tagName.toLowerCase(), element_id: el.id || undefined, class_name: (typeof el.className === 'string' && el.className) || undefined };
}

function api_(cmd, a, b) {
  if (cmd === 'event') send('custom', { name: a, props: b });
  else if (cmd === 'identify') send('identify', { traits: a });
  else if (cmd === 'consent') {
    const before = consent;
    consent = !!a;
    // Granted now: the landing page view that waited for consent is sent.
    if (consent && !before) { identity(); lastPath = ''; if (active) pageview(); } else if (!consent) { queue = []; mem = []; visitor = null; store(QKEY, null); store(IDKEY, null); }
  }
  else if (cmd === 'pageview') pageview();
}

if (site) {
  const pending = (w.vantage && w.vantage.q) || [];
  w.vantage = api_;
  pending.forEach((args) => api_.apply(null, args));
}

if (active) {
  pageview();
  for (const m of ['pushState', 'replaceState']) {
    const orig = history[m];
    history[m] = function () { const r = orig.apply(this, arguments); pageview(); return r; };
  }
  w.addEventListener('popstate', pageview);
  w.addEventListener('hashchange', pageview);

  d.addEventListener('click', (ev) => {
    const el = ev.target instanceof Element ? ev.target : null;
    if (!el) return;
    const named = el.closest('[data-vantage-event]');
    if (named) send('custom', { name: named.getAttribute('data-vantage-event') });
    const a = el.closest('a[href]');
    const kind = a && linkKind(a.href, location.host);
    if (kind === 'download' && on('downloads', true)) send('download', { download_url: a.href });
    else if (kind === 'outbound' && on('outbound', true)) send('outbound', { url: location.href, target: a.href });
    if (on('clicks', true)) send('click', Object.assign({ x: Math.round(ev.pageX), y: Math.round(ev.pageY) }, describe(el)));
  }, true);

  d.addEventListener('submit', (ev) => {
    const f = ev.target;
    if (on('forms', true)) send('form_submit', { form_id: f.id || f.getAttribute('name') || undefined, class_name: f.className || undefined });
    flush();
  }, true);

  w.addEventListener('scroll', () => {
    const h = d.documentElement.scrollHeight - w.innerHeight;
    const pct = h > 0 ? Math.min(100, Math.round((w.scrollY / h) * 100)) : 100;
    if (pct > scrollMax) scrollMax = pct;
  }, { passive: true });

  const media = (ev) => {
    const m = ev.target;
    if (!(m instanceof HTMLMediaElement) || !on('media', true)) return;
    const kind = m instanceof HTMLVideoElement ? 'video' : 'audio';
    send(kind + (ev.type === 'play' ? '_play' : '_complete'), { media_url: m.currentSrc || m.src, element_id: m.id || undefined });
  };
  d.addEventListener('play', media, true);
  d.addEventListener('ended', media, true);

  if (on('images', true) && w.IntersectionObserver) {
    const seen = new Set();
    const io = new IntersectionObserver((entries) => entries.forEach((en) => {
      const src = en.target.currentSrc || en.target.src;
      if (en.isIntersecting && src && !seen.has(src)) { seen.add(src); send('image_view', { media_url: src, element_id: en.target.id || undefined }); io.unobserve(en.target); }
    }), { threshold: 0.5 });
    const watch = () => d.querySelectorAll('img').forEach((img) => io.observe(img));
    d.readyState === 'loading' ? d.addEventListener('DOMContentLoaded', watch) : watch();
  }

  if (on('mousemove', false)) {
    let last = 0, count = 0;
    d.addEventListener('mousemove', (ev) => {
      const now = Date.now();
      if (now - last < 500 || count >= 200) return;
      last = now; count++;
      send('mousemove', { x: Math.round(ev.pageX), y: Math.round(ev.pageY) });
    }, { passive: true });
  }

  d.addEventListener('visibilitychange', () => {
    if (d.visibilityState === 'hidden') { engage(); visible = false; flush(); } else { visible = true; visibleSince = Date.now(); }
  });
  w.addEventListener('pagehide', () => { leave(); flush(); });
}
