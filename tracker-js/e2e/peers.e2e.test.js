// The trackers users already run, from the npm registry and unmodified (Plausible's, PostHog's,
// Snowplow's), in headless Chromium against the real local mode: the same visit through each of
// them and through Vantage's own tracker is counted the same by POST /api/v2/query. Run by the
// launcher's TrackerBrowserIT (./mvnw verify), which starts Vantage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { build } from 'esbuild';
import { VANTAGE, api, site, query, browser, eventually } from './helpers.js';

const TRACKERS = ['ours', 'plausible', 'posthog', 'snowplow'];
let server, chrome;
const bundles = {};

before(async () => {
  for (const name of TRACKERS) {
    const out = await build({ entryPoints: [new URL(`./peers/${name}.js`, import.meta.url).pathname], bundle: true, write: false,
      format: 'iife', target: 'es2019', logLevel: 'error' });
    bundles[name] = out.outputFiles[0].text;
  }
  // A site's pages on their own origin: /landing.html loads one tracker's bundle.
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://fixture');
    const bundle = url.pathname.match(/^\/peer\/(\w+)\.js$/);
    if (bundle && bundles[bundle[1]]) {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundles[bundle[1]]);
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><html><head><meta charset="utf-8"><title>Landing</title>'
        + `<script src="/peer/${url.searchParams.get('tracker')}.js"></script></head><body><h1>Landing</h1></body></html>`);
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  chrome = await browser();
});
after(async () => { await chrome?.close(); server?.close(); });

/** One visit: landing (a page view), a custom event with a property, a single-page navigation, identify. */
async function visit(tracker, siteInfo) {
  const context = await chrome.newContext();
  // A visitor's browser is not driven by automation: the peers' trackers skip such browsers, as ours does by default.
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false }));
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/landing.html?tracker=${tracker}`);
  await page.evaluate(([v, s]) => window.peer.init(v, s), [VANTAGE, siteInfo]);
  await page.waitForTimeout(500);
  await page.evaluate(() => window.peer.event('signup', { plan: 'pro' }));
  await page.waitForTimeout(300);
  await page.evaluate(() => window.peer.navigate('/app/a'));
  await page.waitForTimeout(300);
  const identified = await page.evaluate(() => window.peer.identify('user-1', { gender: 'female' }));
  await page.waitForTimeout(2500); // batches flush (ours after 2 s)
  await context.close();
  return identified;
}

/** What the API counts for a site today: page views by page, events by name with their plan, visitors, traits. */
async function counted(siteId) {
  const rows = async (body) => (await query({ site_id: siteId, ...body })).map((r) => [...r.dimensions, ...r.metrics].join(' '));
  return {
    pages: await rows({ metrics: ['pageviews'], dimensions: ['event:page'], filters: [['is', 'event:type', ['pageview']]] }),
    names: await rows({ metrics: ['events'], dimensions: ['event:name', 'event:props:plan'], filters: [['is', 'event:type', ['custom']]] }),
    visitors: await rows({ metrics: ['visitors', 'visits', 'pageviews'] }),
    traits: await rows({ metrics: ['visitors'], dimensions: ['visitor:trait:gender'] }),
  };
}

const expected = {};

for (const tracker of TRACKERS) {
  test(`${tracker === 'ours' ? "Vantage's own tracker" : tracker + "'s tracker from npm"}: a visit is counted`, async () => {
    const id = `peer-${tracker}`;
    const key = { posthog: 'phc_e2e_' + Date.now(), snowplow: 'sp-' + id }[tracker];
    await site(id, { domain: `${tracker}.fixtures.test`, ...(key ? { aliases: [key] } : {}) });
    const identified = await visit(tracker, { id, domain: `${tracker}.fixtures.test`, key: key || id });
    const got = await eventually(async () => {
      const c = await counted(id);
      assert.deepEqual([...c.pages].sort(), ['/app/a 1', '/landing.html 1'], 'both page views arrived');
      assert.equal(c.names.length, 1, 'the custom event arrived');
      return c;
    });
    if (tracker === 'ours') {
      Object.assign(expected, got);
    }
    assert.deepEqual(got.pages.sort(), expected.pages.sort(), 'the same page views by page as our tracker');
    assert.deepEqual(got.names, expected.names, 'the same custom event, with its property');
    assert.deepEqual(got.visitors, expected.visitors, 'the same visitors, visits and page views');
    if (identified) {
      assert.deepEqual(got.traits, expected.traits, 'identify set the same trait');
    }
  });
}
