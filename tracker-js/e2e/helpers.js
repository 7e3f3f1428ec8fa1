// One helper for the browser tests: a fixture server on its own origin, headless Chromium from
// Debian driven by playwright-core, and a client of the running Vantage (local mode).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

export const VANTAGE = process.env.VANTAGE_URL;
const TOKEN = process.env.VANTAGE_TOKEN;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function api(path, body) {
  const r = await fetch(VANTAGE + path, {
    method: body ? 'POST' : 'GET',
    headers: { Authorization: 'Bearer ' + TOKEN, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const json = await r.json();
  if (r.status >= 300 && r.status !== 409) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

export async function site(id, extra = {}) {
  await api('/api/sites', Object.assign({ id, domain: 'fixtures.test' }, extra));
  return id;
}

/** Waits until the processor has read every event, then asks the query API. */
export async function query(body) {
  for (let i = 0; i < 200; i++) {
    const status = await api('/api/status');
    if (status.caught_up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return (await api('/api/v2/query', Object.assign({ date_range: 'day' }, body))).results;
}

/** metric values by the first dimension value */
export async function breakdown(siteId, dimension, metric) {
  const rows = await query({ site_id: siteId, metrics: [metric], dimensions: [dimension] });
  return Object.fromEntries(rows.map((r) => [r.dimensions[0], r.metrics[0]]));
}

/** Serves e2e/fixtures with the tracker's script tag pointing at Vantage: /page.html?site=ID&opts=data-x="y" */
export async function fixtureServer() {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://fixture');
    const name = url.pathname.split('/').pop() || 'all.html';
    try {
      let html = await readFile(new URL('./fixtures/' + (name.endsWith('.html') ? name : 'spa.html'), import.meta.url), 'utf8');
      const opts = url.searchParams.get('opts') || '';
      html = html.replace('<!--TRACKER-->', `<script defer src="${VANTAGE}${url.searchParams.get('prefix') || ''}/tracker.js" data-site="${url.searchParams.get('site')}" data-localhost="true" data-automation="true" ${opts}></script>`);
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
    } catch (e) {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

// Headless Chromium says "HeadlessChrome", which the bot filter rightly drops: the tests browse as
// the desktop Chrome a visitor would use.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

export async function browser() {
  const b = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-quic', '--disable-sync',
      // Also for what a closing page sends: playwright's per-context override no longer applies there.
      '--user-agent=' + USER_AGENT],
  });
  const newContext = b.newContext.bind(b);
  b.newContext = (options = {}) => newContext(Object.assign({ userAgent: USER_AGENT }, options));
  return b;
}

/** Makes the page look hidden to the tracker, as when the tab is switched away. */
export async function hide(page) {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

/** Retries an assertion until it holds: events reach the collector asynchronously. */
export async function eventually(check, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
