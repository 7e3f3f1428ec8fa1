// End-to-end: the built tracker in headless Chromium, sending to the real local mode, counted by
// POST /api/v2/query. Run by the launcher's TrackerBrowserIT (./mvnw verify), which starts Vantage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VANTAGE, api, site, query, breakdown, fixtureServer, browser, hide, eventually } from './helpers.js';

let fixtures, chrome;
before(async () => { fixtures = await fixtureServer(); chrome = await browser(); });
after(async () => { await chrome?.close(); fixtures?.close(); });

async function open(siteId, page = 'all.html', opts = '', context) {
  const ctx = context || await chrome.newContext();
  const p = await ctx.newPage();
  await p.goto(`${fixtures.url}/${page}?site=${siteId}&opts=${encodeURIComponent(opts)}`);
  await p.waitForFunction(() => typeof window.vantage === 'function');
  return p;
}

test('every interaction type arrives and is counted by event:type', async () => {
  const id = await site('e2e-all', { goals: ['newsletter'] });
  const p = await open(id, 'all.html', 'data-mousemove="true"');
  await p.click('#buy');
  await p.click('#named');
  await p.click('#download');
  await p.click('#outbound');
  await p.click('#submit');
  await p.mouse.move(20, 20);
  await p.waitForTimeout(600);
  await p.mouse.move(80, 60);
  await p.evaluate(() => {
    for (const id of ['clip', 'song']) {
      const m = document.getElementById(id);
      m.dispatchEvent(new Event('play'));
      m.dispatchEvent(new Event('ended'));
    }
    vantage('event', 'signup', { plan: 'pro' });
    vantage('identify', { gender: 'f' });
  });
  await p.evaluate(() => document.getElementById('hero').scrollIntoView());
  await p.waitForTimeout(300);
  await p.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await p.waitForTimeout(1200);
  await hide(p);
  await p.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  await p.waitForTimeout(500);

  const types = await eventually(async () => {
    const t = await breakdown(id, 'event:type', 'events');
    for (const type of ['pageview', 'click', 'form_submit', 'download', 'outbound', 'video_play', 'video_complete',
      'audio_play', 'audio_complete', 'custom', 'scroll', 'mousemove', 'image_view', 'engagement']) {
      assert.ok(t[type] >= 1, `${type} counted, got ${JSON.stringify(t)}`);
    }
    return t;
  });
  assert.equal(types.pageview, 1);
  assert.equal(types.form_submit, 1);
  const names = await breakdown(id, 'event:name', 'events');
  assert.deepEqual(names, { newsletter: 1, signup: 1 });
  const [conv] = await query({ site_id: id, metrics: ['visits', 'conversions', 'bounce_rate'] });
  assert.deepEqual(conv.metrics, [1, 1, 0]);
  const visitor = await p.evaluate(() => localStorage.getItem('vantage_id'));
  const profile = await api(`/api/sites/${id}/visitors/${visitor}`);
  assert.equal(profile.traits.gender, 'f');
  await p.context().close();
});

test('single-page navigation counts page views', async () => {
  const id = await site('e2e-spa');
  const p = await open(id, 'spa.html');
  await p.click('#to-a');
  await p.click('#to-b');
  await p.click('#to-hash');
  await p.goBack();
  await p.waitForTimeout(2500);

  await eventually(async () => assert.deepEqual(await breakdown(id, 'event:page', 'pageviews'),
    { '/spa.html': 1, '/app/a': 1, '/app/b': 3 }));
  await p.context().close();
});

test('served under a first-party path, the tracker posts beside its script and is counted', async (t) => {
  const prefix = process.env.VANTAGE_PATH_PREFIX;
  if (!prefix) return t.skip('VANTAGE_PATH_PREFIX is not set for this run');
  const id = await site('e2e-first-party');
  const ctx = await chrome.newContext();
  const p = await ctx.newPage();
  const posts = [];
  p.on('request', (r) => { if (r.method() === 'POST') posts.push(new URL(r.url()).pathname); });
  await p.goto(`${fixtures.url}/spa.html?site=${id}&prefix=${prefix}`);
  await p.waitForFunction(() => typeof window.vantage === 'function');
  await p.click('#to-a');
  await p.waitForTimeout(2500);
  await eventually(async () => assert.deepEqual(await breakdown(id, 'event:page', 'pageviews'), { '/spa.html': 1, '/app/a': 1 }));
  assert.ok(posts.length > 0, 'beacons were sent');
  assert.deepEqual([...new Set(posts)], [prefix + '/collect'], 'every beacon went to the prefixed collector');
  await ctx.close();
});

test('a collector outage during the visit loses no event', async () => {
  const id = await site('e2e-outage');
  const ctx = await chrome.newContext();
  let down = true;
  let refused = 0;
  await ctx.route(`${VANTAGE}/collect`, (route) => {
    if (!down) return route.continue();
    refused++;
    return refused % 2 ? route.fulfill({ status: 503, body: '{"error":"unavailable"}' }) : route.abort('connectionrefused');
  });
  const p = await open(id, 'spa.html', '', ctx);
  for (let i = 1; i <= 5; i++) await p.evaluate((n) => vantage('event', 'during-outage-' + n), i);
  await p.waitForTimeout(2500);
  await p.reload();
  await p.waitForFunction(() => typeof window.vantage === 'function');
  await p.evaluate(() => vantage('event', 'after-reload'));
  await p.waitForTimeout(2500);
  assert.ok(refused >= 2, 'the outage refused sends');
  const queued = await p.evaluate(() => JSON.parse(localStorage.getItem('vantage_q') || '[]').length);
  assert.ok(queued >= 5, `events wait in storage during the outage, got ${queued}`);

  down = false;
  await eventually(async () => assert.deepEqual(await breakdown(id, 'event:name', 'events'), { 'during-outage-1': 1,
    'during-outage-2': 1, 'during-outage-3': 1, 'during-outage-4': 1, 'during-outage-5': 1, 'after-reload': 1 }), 30000);
  const [pv] = await query({ site_id: id, metrics: ['pageviews'] });
  assert.equal(pv.metrics[0], 2);
  assert.equal(await p.evaluate(() => localStorage.getItem('vantage_q')), null);
  await ctx.close();
});

test('cookieless mode stores nothing on the device and is still counted', async () => {
  const id = await site('e2e-cookieless');
  const p = await open(id, 'spa.html', 'data-cookieless="true"');
  await p.click('#to-a');
  await p.evaluate(() => vantage('event', 'x'));
  await hide(p);
  await p.waitForTimeout(500);
  const stored = await p.evaluate(() => ({ cookie: document.cookie, local: localStorage.length, session: sessionStorage.length }));
  assert.deepEqual(stored, { cookie: '', local: 0, session: 0 });
  await eventually(async () => {
    const [m] = await query({ site_id: id, metrics: ['pageviews', 'visitors', 'events'] });
    assert.deepEqual(m.metrics.slice(0, 2), [2, 1]);
  });
  await p.context().close();
});

test('Do-Not-Track and the opt-out flag send nothing', async () => {
  const id = await site('e2e-dnt');
  let sent = 0;
  for (const init of [
    () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }),
    () => localStorage.setItem('vantage_ignore', 'true'),
  ]) {
    const ctx = await chrome.newContext();
    await ctx.route(`${VANTAGE}/collect`, (route) => { sent++; return route.continue(); });
    await ctx.addInitScript(init);
    const p = await open(id, 'spa.html', '', ctx);
    await p.click('#event');
    await hide(p);
    await p.waitForTimeout(2500);
    await ctx.close();
  }
  assert.equal(sent, 0);
});

test('with data-require-consent nothing is sent or stored until consent, then the landing page view is', async () => {
  const id = await site('e2e-consent');
  const p = await open(id, 'spa.html', 'data-require-consent="true"');
  await p.click('#event');
  await p.waitForTimeout(2500);
  assert.equal(await p.evaluate(() => localStorage.length), 0);
  await p.evaluate(() => vantage('consent', true));
  await hide(p);
  await eventually(async () => {
    const types = await breakdown(id, 'event:type', 'events');
    assert.equal(types.pageview, 1, JSON.stringify(types));
    assert.equal(types.custom, undefined, 'the event before consent is not sent');
  });
  assert.ok(await p.evaluate(() => localStorage.getItem('vantage_id')));
  await p.context().close();
});
