// The dashboard's state (site, period, comparison, interval, filters) and the pure functions over
// it: to and from the URL's query string, to the API's date_range, to the comparison's dates.
// No DOM here, so node's test runner checks all of it.

export const PERIODS = [
  ['realtime', 'Realtime'], ['day', 'Today'], ['yesterday', 'Yesterday'], ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'], ['month', 'This month'], ['year', 'This year'], ['custom', 'Custom'],
];
export const COMPARISONS = [['', 'No comparison'], ['previous', 'Previous period'], ['year', 'Year earlier']];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The state a URL's query string (and, for /share/SITE, its path) describes. */
export function parseState(search, pathname = '/') {
  const q = new URLSearchParams(search);
  const share = /^\/share\/([^/]+)\/?$/.exec(pathname);
  const from = DATE.test(q.get('from') || '') ? q.get('from') : null;
  const to = DATE.test(q.get('to') || '') ? q.get('to') : from;
  let period = q.get('period');
  if (from) period = 'custom';
  if (!PERIODS.some(([p]) => p === period) || (period === 'custom' && !from)) period = 'day';
  const compare = ['previous', 'year'].includes(q.get('compare')) ? q.get('compare') : '';
  const filters = q.getAll('f').map(parseFilter).filter(Boolean);
  return {
    site: share ? decodeURIComponent(share[1]) : q.get('site') || '',
    shared: !!share,
    period, from: period === 'custom' ? from : null, to: period === 'custom' ? (to < from ? from : to) : null,
    compare: period === 'realtime' ? '' : compare,
    interval: q.get('interval') || '',
    filters,
  };
}

/** The query string of a state (the site is in the path of a shared link). */
export function stateQuery(s) {
  const q = new URLSearchParams();
  if (s.site && !s.shared) q.set('site', s.site);
  if (s.period === 'custom') { q.set('from', s.from); q.set('to', s.to); } else if (s.period !== 'day') q.set('period', s.period);
  if (s.compare) q.set('compare', s.compare);
  if (s.interval) q.set('interval', s.interval);
  for (const f of s.filters) q.append('f', formatFilter(f));
  const text = q.toString();
  return text ? '?' + text : '';
}

// A filter in the URL: dimension, operator and value, as `visit:source==Google` or `event:page!=/x`.
const OPS = [['!=', 'is_not'], ['==', 'is'], ['!~', 'contains_not'], ['~', 'contains']];

export function parseFilter(text) {
  // Dimension names hold no operator sign, so the first sign in the text ends the dimension
  // (a value may hold any: `event:page==/a!=b` is the page `/a!=b`).
  let best = null;
  for (const [sign, op] of OPS) {
    const i = text.indexOf(sign);
    if (i > 0 && (!best || i < best.i || (i === best.i && sign.length > best.sign.length))) best = { i, sign, op };
  }
  return best && { dimension: text.slice(0, best.i), op: best.op, value: text.slice(best.i + best.sign.length) };
}

export function formatFilter(f) {
  return f.dimension + OPS.find(([, op]) => op === f.op)[0] + f.value;
}

/** The label a breakdown gives the rows of a property or trait that has no value. */
export const NONE = '(none)';
const holdsNone = (dimension) => dimension.startsWith('event:props:') || dimension.startsWith('visitor:trait:');

/**
 * The API's filters for the state. A property or trait "is (none)" is the rows without a value,
 * which a filter reaches as the negation of "matches anything" (a missing value matches no
 * `is`, and every negation: metrics.md), so clicking a "(none)" row narrows to that row.
 */
export const apiFilters = (s) => s.filters.map((f) => {
  if (f.value === NONE && holdsNone(f.dimension) && (f.op === 'is' || f.op === 'is_not')) {
    return [f.op === 'is' ? 'matches_not' : 'matches', f.dimension, ['.*']];
  }
  return [f.op, f.dimension, [f.value]];
});

/** Adds a filter, replacing one on the same dimension. */
export function withFilter(s, f) {
  return { ...s, filters: [...s.filters.filter((g) => g.dimension !== f.dimension), f] };
}

export function withoutFilter(s, i) {
  return { ...s, filters: s.filters.filter((_, j) => j !== i) };
}

/** The date `days` after an ISO date (negative: before). */
export function addDays(date, days) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function addYears(date, years) {
  const [y, m, d] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const daysBetween = (a, b) => Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86400000);

/** The first and last date of the state's period, `today` being the site's current date; null for realtime. */
export function periodDates(s, today) {
  switch (s.period) {
    case 'realtime': return null;
    case 'day': return [today, today];
    case 'yesterday': return [addDays(today, -1), addDays(today, -1)];
    case '7d': return [addDays(today, -6), today];
    case '30d': return [addDays(today, -29), today];
    case 'month': return [today.slice(0, 8) + '01', today];
    case 'year': return [today.slice(0, 5) + '01-01', today];
    default: return [s.from, s.to];
  }
}

/** The API's date_range for the state: a name the API knows, or a pair of dates. */
export function dateRange(s, today) {
  if (['realtime', 'day', '7d', '30d', 'month', 'year'].includes(s.period)) return s.period;
  return periodDates(s, today);
}

/** The dates of the comparison period, or null when the state compares nothing. */
export function compareDates(s, today) {
  const dates = periodDates(s, today);
  if (!s.compare || !dates) return null;
  const [from, to] = dates;
  if (s.compare === 'year') return [addYears(from, -1), addYears(to, -1)];
  if (s.period === 'month') {
    // The previous calendar month, as far into it as this one has gone.
    const prevFirst = new Date(Date.parse(from + 'T00:00:00Z'));
    prevFirst.setUTCMonth(prevFirst.getUTCMonth() - 1);
    const start = prevFirst.toISOString().slice(0, 10);
    const monthEnd = addDays(from, -1);
    const end = addDays(start, daysBetween(from, to));
    return [start, end > monthEnd ? monthEnd : end];
  }
  if (s.period === 'year') return [addYears(from, -1), addYears(to, -1)];
  const length = daysBetween(from, to) + 1;
  return [addDays(from, -length), addDays(to, -length)];
}

/** The time buckets the chart can use for the state, the first being the default. */
export function intervals(s, today) {
  const dates = periodDates(s, today);
  if (!dates) return ['minute'];
  const days = daysBetween(dates[0], dates[1]) + 1;
  if (days <= 2) return ['hour', 'minute', 'day'];
  if (days <= 92) return days > 31 ? ['day', 'week', 'month', 'hour'] : ['day', 'hour', 'week'];
  return ['month', 'week', 'day'];
}

/** The chart's interval: the one the state asks for when the range allows it, else the default. */
export function interval(s, today) {
  const allowed = intervals(s, today);
  return allowed.includes(s.interval) ? s.interval : allowed[0];
}

/** The site's current date in its time zone. */
export function todayIn(timeZone, now = new Date()) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch (e) {
    return now.toISOString().slice(0, 10);
  }
}

/**
 * Whether a time bucket starts after now: an hour or minute label (with its offset) after this
 * instant, a day, week or month label after the site's today. The chart leaves those out rather
 * than drawing them as zeros, which would read as traffic that stopped.
 */
export function isFuture(label, today, now = Date.now()) {
  const text = String(label);
  return text.length > 10 ? Date.parse(text) > now : text > today;
}
