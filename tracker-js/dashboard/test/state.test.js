import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiFilters, compareDates, dateRange, interval, intervals, isFuture, parseState, stateQuery, withFilter, withoutFilter,
} from '../src/state.js';
import { delta, dimensionLabel, duration, format, siteTime } from '../src/format.js';

test('the state round-trips through the query string, filters included', () => {
  const s = parseState('?site=nasa&period=7d&compare=previous&f=visit%3Asource%3D%3DGoogle&f=event%3Apage%21%3D%2Fx%3Dy', '/');
  assert.deepEqual(s.filters, [{ dimension: 'visit:source', op: 'is', value: 'Google' }, { dimension: 'event:page', op: 'is_not', value: '/x=y' }]);
  assert.equal(s.period, '7d');
  assert.equal(s.compare, 'previous');
  assert.deepEqual(parseState(stateQuery(s), '/'), s);
  assert.deepEqual(apiFilters(s), [['is', 'visit:source', ['Google']], ['is_not', 'event:page', ['/x=y']]]);
});

test('a shared link takes its site from the path and keeps it out of the query', () => {
  const s = parseState('?from=1995-08-01&to=1995-08-01', '/share/nasa');
  assert.equal(s.site, 'nasa');
  assert.equal(s.shared, true);
  assert.equal(s.period, 'custom');
  assert.deepEqual(dateRange(s, '2026-12-02'), ['1995-08-01', '1995-08-01']);
  assert.equal(stateQuery(s), '?from=1995-08-01&to=1995-08-01');
});

test('unknown or inconsistent values fall back to today without comparison', () => {
  const s = parseState('?period=forever&compare=sideways&from=nope', '/');
  assert.equal(s.period, 'day');
  assert.equal(s.compare, '');
  assert.equal(parseState('?period=realtime&compare=previous', '/').compare, '', 'realtime compares nothing');
  assert.deepEqual(parseState('?from=2024-03-10&to=2024-03-01', '/').to, '2024-03-10', 'an end before the start is the start');
});

test('named periods go to the API by name, the others as dates', () => {
  const today = '2024-03-15';
  assert.equal(dateRange(parseState('?period=7d'), today), '7d');
  assert.deepEqual(dateRange(parseState('?period=yesterday'), today), ['2024-03-14', '2024-03-14']);
});

test('the previous period has the same length and ends the day before', () => {
  const today = '2024-03-15';
  assert.deepEqual(compareDates(parseState('?compare=previous'), today), ['2024-03-14', '2024-03-14']);
  assert.deepEqual(compareDates(parseState('?period=7d&compare=previous'), today), ['2024-03-02', '2024-03-08']);
  assert.deepEqual(compareDates(parseState('?period=30d&compare=previous'), today), ['2024-01-16', '2024-02-14']);
  assert.deepEqual(compareDates(parseState('?from=2024-02-01&to=2024-02-29&compare=previous'), today), ['2024-01-03', '2024-01-31']);
});

test('the previous month goes as far into it as this month has gone, and no further than its end', () => {
  assert.deepEqual(compareDates(parseState('?period=month&compare=previous'), '2024-03-15'), ['2024-02-01', '2024-02-15']);
  assert.deepEqual(compareDates(parseState('?period=month&compare=previous'), '2024-03-31'), ['2024-02-01', '2024-02-29']);
});

test('a year earlier keeps the calendar dates (29 February becomes the 28th)', () => {
  assert.deepEqual(compareDates(parseState('?period=7d&compare=year'), '2024-03-15'), ['2023-03-09', '2023-03-15']);
  assert.deepEqual(compareDates(parseState('?from=2024-02-29&to=2024-02-29&compare=year'), '2026-01-01'), ['2023-02-28', '2023-02-28']);
  assert.deepEqual(compareDates(parseState('?period=year&compare=previous'), '2024-03-15'), ['2023-01-01', '2023-03-15']);
});

test('the chart interval suits the range and stays within what the API allows', () => {
  const today = '2024-03-15';
  assert.equal(interval(parseState('?period=realtime'), today), 'minute');
  assert.equal(interval(parseState(''), today), 'hour');
  assert.equal(interval(parseState('?period=30d'), today), 'day');
  assert.equal(interval(parseState('?period=year'), today), 'day', 'up to 92 days of this year: days');
  assert.equal(interval(parseState('?from=2023-01-01&to=2023-12-31'), today), 'month');
  assert.ok(!intervals(parseState('?from=2023-01-01&to=2023-12-31'), today).includes('hour'), 'hours cover at most 92 days');
  assert.ok(!intervals(parseState('?period=7d'), today).includes('minute'), 'minutes cover at most 2 days');
  assert.equal(interval(parseState('?period=7d&interval=minute'), today), 'day', 'an interval the range does not allow is replaced');
  assert.equal(interval(parseState('?period=7d&interval=hour'), today), 'hour');
});

test('a filter on a dimension replaces the earlier one on it; chips remove by position', () => {
  let s = parseState('?f=visit%3Asource%3D%3DGoogle');
  s = withFilter(s, { dimension: 'visit:source', op: 'is', value: 'Bing' });
  s = withFilter(s, { dimension: 'event:page', op: 'is', value: '/' });
  assert.deepEqual(s.filters.map((f) => f.value), ['Bing', '/']);
  assert.deepEqual(withoutFilter(s, 0).filters.map((f) => f.value), ['/']);
});

test('numbers are written as metrics.md means them', () => {
  assert.equal(format('visitors', 1234567), '1,234,567');
  assert.equal(format('bounce_rate', 41.26), '41.3%');
  assert.equal(format('conversion_rate', 0.033456), '0.03%', 'a small share is not shown as 0%');
  assert.equal(format('conversion_rate', 0), '0%');
  assert.equal(format('visit_duration', 125), '2m 5s');
  assert.equal(duration(3725), '1h 2m');
  assert.equal(format('views_per_visit', 2.456), '2.46');
  assert.deepEqual(delta('visitors', 120, 100), { text: '+20%', good: true });
  assert.deepEqual(delta('bounce_rate', 40, 50), { text: '−10 pp', good: true }, 'a lower bounce rate is good news');
  assert.deepEqual(delta('visitors', 5, 0), { text: 'new', good: true });
});

test('a value holding an operator sign survives the URL: the first sign ends the dimension', () => {
  const filters = [{ dimension: 'event:page', op: 'is', value: '/wiki/a!=b' }, { dimension: 'event:page', op: 'is_not', value: '=x==y' },
    { dimension: 'visit:source', op: 'contains_not', value: 'a~b' }, { dimension: 'visit:source', op: 'contains', value: '!=~' }];
  for (const f of filters) {
    const s = { ...parseState('?', '/'), filters: [f] };
    assert.deepEqual(parseState(stateQuery(s), '/').filters, [f], JSON.stringify(f));
  }
});

test('a "(none)" row of a property or trait is filtered as the rows without a value', () => {
  const s = parseState('?f=' + encodeURIComponent('event:props:plan==(none)') + '&f=' + encodeURIComponent('visitor:trait:gender!=(none)')
    + '&f=' + encodeURIComponent('visit:utm_medium==(none)'), '/');
  assert.deepEqual(apiFilters(s), [['matches_not', 'event:props:plan', ['.*']], ['matches', 'visitor:trait:gender', ['.*']],
    ['is', 'visit:utm_medium', ['(none)']]], 'a medium of "(none)" is a value of its own');
});

test('buckets that have not begun are in the future: hours by the instant, days by the site\'s date', () => {
  const now = Date.parse('2026-12-08T04:55:00Z');
  assert.equal(isFuture('2026-12-08T05:00:00+01:00', '2026-12-08', now), false, '04:00 UTC has begun');
  assert.equal(isFuture('2026-12-08T06:00:00+01:00', '2026-12-08', now), true);
  assert.equal(isFuture('2026-12-08', '2026-12-08', now), false, 'today has begun');
  assert.equal(isFuture('2026-12-09', '2026-12-08', now), true);
  assert.equal(isFuture('2026-12-01', '2026-12-08', now), false, 'this month or week has begun');
});

test('dimensions read as words, and instants in the site\'s time zone', () => {
  assert.equal(dimensionLabel('visit:utm_source'), 'UTM source');
  assert.equal(dimensionLabel('event:props:plan'), 'Property plan');
  assert.equal(dimensionLabel('visitor:trait:gender'), 'Trait gender');
  assert.equal(dimensionLabel('visit:city'), 'City');
  assert.equal(siteTime('2026-12-08T09:08:53.024Z', 'Europe/Berlin'), '2026-12-08 10:08');
  assert.equal(siteTime('2026-12-07T23:30:00Z', 'America/New_York'), '2026-12-07 18:30');
  assert.equal(siteTime(null, 'UTC'), null);
});

