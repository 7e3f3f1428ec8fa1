// How the dashboard names and writes the numbers of ../../../shared/spec/metrics.md.

/** Every metric of metrics.md, with its label and kind, in the order of the KPI cards. */
export const METRICS = [
  ['visitors', 'Unique visitors', 'count'], ['visits', 'Visits', 'count'], ['pageviews', 'Pageviews', 'count'],
  ['events', 'Events', 'count'], ['new_visitors', 'New visitors', 'count'], ['returning_visitors', 'Returning visitors', 'count'],
  ['views_per_visit', 'Views per visit', 'ratio'], ['events_per_visit', 'Events per visit', 'ratio'],
  ['bounce_rate', 'Bounce rate', 'percent'], ['visit_duration', 'Visit duration', 'duration'],
  ['repeat_visitor_rate', 'Repeat visitor rate', 'percent'], ['conversions', 'Conversions', 'count'],
  ['conversion_rate', 'Conversion rate', 'percent'], ['time_to_conversion', 'Time to conversion', 'duration'],
];
/** Metrics where a fall is good news. */
const LOWER_IS_BETTER = new Set(['bounce_rate', 'time_to_conversion']);
const KIND = Object.fromEntries(METRICS.map(([k, , kind]) => [k, kind]));

export function label(metric) {
  const m = METRICS.find(([k]) => k === metric);
  return m ? m[1] : metric.replace(/_/g, ' ');
}

const DIMENSIONS = {
  'event:page': 'Page', 'visit:entry_page': 'Entry page', 'visit:exit_page': 'Exit page', 'visit:source': 'Source',
  'visit:referrer': 'Referrer', 'visit:referrer_medium': 'Medium', 'visit:utm_source': 'UTM source', 'visit:utm_medium': 'UTM medium',
  'visit:utm_campaign': 'UTM campaign', 'visit:utm_content': 'UTM content', 'visit:utm_term': 'UTM term', 'visit:country': 'Country',
  'visit:browser': 'Browser', 'visit:os': 'Operating system', 'visit:device': 'Device', 'event:goal': 'Goal', 'event:type': 'Event type',
  'event:name': 'Event name',
};

/** A dimension as people read it: `visit:utm_source` is "UTM source", `event:props:plan` "Property plan". */
export function dimensionLabel(dimension) {
  if (DIMENSIONS[dimension]) return DIMENSIONS[dimension];
  if (dimension.startsWith('event:props:')) return 'Property ' + dimension.slice('event:props:'.length);
  if (dimension.startsWith('visitor:trait:')) return 'Trait ' + dimension.slice('visitor:trait:'.length);
  const name = dimension.replace(/^[a-z]+:/, '').replace(/_/g, ' ');
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** An instant of the API (ISO-8601, UTC) as the site's local date and time, `2026-12-08 10:08`. */
export function siteTime(iso, timeZone) {
  const t = Date.parse(iso);
  if (iso == null || Number.isNaN(t)) return iso;
  try {
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(t)).map(({ type, value }) => [type, value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  } catch {
    return iso;
  }
}

/** A metric's value as text. */
export function format(metric, v) {
  if (v == null || Number.isNaN(v)) return '–';
  switch (KIND[metric] || (metric === 'percentage' ? 'percent' : 'count')) {
    // One decimal; below 1% one significant digit, so 1 conversion in 2,989 visits reads 0.03%, not 0%.
    case 'percent': return (v !== 0 && Math.abs(v) < 1 ? Number(v.toPrecision(1)) : Math.round(v * 10) / 10)
      .toLocaleString('en-US', { maximumFractionDigits: 6 }) + '%';
    case 'ratio': return (Math.round(v * 100) / 100).toLocaleString('en-US');
    case 'duration': return duration(v);
    default: return Number.isInteger(v) ? v.toLocaleString('en-US') : (Math.round(v * 100) / 100).toLocaleString('en-US');
  }
}

export function duration(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return s + 's';
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** The change from `before` to `now`: text, and whether it is good news (null when neutral). */
export function delta(metric, now, before) {
  if (now == null || before == null) return null;
  if (KIND[metric] === 'percent') {
    const d = Math.round((now - before) * 10) / 10;
    return { text: (d > 0 ? '+' : d < 0 ? '−' : '±') + Math.abs(d) + ' pp', good: d === 0 ? null : (d > 0) !== LOWER_IS_BETTER.has(metric) };
  }
  if (before === 0) return now === 0 ? { text: '±0%', good: null } : { text: 'new', good: !LOWER_IS_BETTER.has(metric) };
  const pct = Math.round(((now - before) / before) * 100);
  return { text: (pct > 0 ? '+' : pct < 0 ? '−' : '±') + Math.abs(pct) + '%', good: pct === 0 ? null : (pct > 0) !== LOWER_IS_BETTER.has(metric) };
}

/** Short labels for the chart's time buckets ("2024-01-01", "2024-01-01T10:00:00+01:00"). */
export function bucketLabel(text, interval) {
  if (interval === 'minute' || interval === 'hour') return text.slice(11, 16);
  if (interval === 'month') return text.slice(0, 7);
  return text.slice(5, 10);
}
