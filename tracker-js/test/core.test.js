import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowed, linkKind, backoff, bound, outcome, uid } from '../src/core.js';

const env = { dnt: null, optedOut: false, host: 'example.com', webdriver: false };

test('tracks a normal visit', () => {
  assert.equal(allowed(env, {}), true);
});

test('honours Do-Not-Track and the opt-out flag', () => {
  assert.equal(allowed({ ...env, dnt: '1' }, {}), false);
  assert.equal(allowed({ ...env, optedOut: true }, {}), false);
});

test('skips localhost and automation unless asked', () => {
  assert.equal(allowed({ ...env, host: 'localhost' }, {}), false);
  assert.equal(allowed({ ...env, host: '127.0.0.1' }, {}), false);
  assert.equal(allowed({ ...env, host: 'localhost' }, { localhost: true }), true);
  assert.equal(allowed({ ...env, webdriver: true }, {}), false);
  assert.equal(allowed({ ...env, webdriver: true }, { automation: true }), true);
});

test('classifies links as downloads or outbound', () => {
  assert.equal(linkKind('https://example.com/files/report.PDF', 'example.com'), 'download');
  assert.equal(linkKind('https://other.org/page', 'example.com'), 'outbound');
  assert.equal(linkKind('https://example.com/page', 'example.com'), null);
  assert.equal(linkKind('mailto:a@b.c', 'example.com'), null);
  assert.equal(linkKind('not a url', 'example.com'), null);
});

test('backs off exponentially up to a minute', () => {
  assert.deepEqual([1, 2, 3, 4].map(backoff), [1000, 2000, 4000, 8000]);
  assert.equal(backoff(30), 60000);
});

test('bounds the retry queue by dropping the oldest events', () => {
  assert.deepEqual(bound([1, 2, 3, 4, 5], 3), [3, 4, 5]);
  assert.deepEqual(bound([1, 2], 3), [1, 2]);
});

test('retries network errors, 5xx and 429 but not other 4xx', () => {
  assert.equal(outcome(202), 'ok');
  assert.equal(outcome(0), 'retry');
  assert.equal(outcome(503), 'retry');
  assert.equal(outcome(429), 'retry');
  assert.equal(outcome(400), 'drop');
  assert.equal(outcome(404), 'drop');
});

test('makes distinct ids', () => {
  assert.notEqual(uid(), uid());
});
