import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// The size budget (ARCHITECTURE.md): at most 3 KB gzipped, aiming for 2.5 KB.
const BUDGET = 3 * 1024;

test('the minified tracker fits the gzip size budget', () => {
  const js = readFileSync(new URL('../dist/tracker.js', import.meta.url));
  const gz = gzipSync(js, { level: 9 }).length;
  console.log(`tracker.js: ${js.length} bytes minified, ${gz} bytes gzipped (budget ${BUDGET})`);
  assert.ok(gz <= BUDGET, `tracker.js is ${gz} bytes gzipped, over the ${BUDGET} byte budget`);
});
