// The breakdown panels: each a set of tabs over one dimension, rows with share bars, a click on a
// row filters the whole dashboard by its value.
import { h, fill } from './dom.js';
import { format, label } from './format.js';
import { countryName, drawMap } from './map.js';

/** Panels and their tabs: [dimension, title, metrics (the first sorts and makes the bar)]. */
export const PANELS = [
  { id: 'pages', tabs: [['event:page', 'Top pages', ['visitors', 'pageviews']], ['visit:entry_page', 'Entry pages', ['visits', 'visitors']],
    ['visit:exit_page', 'Exit pages', ['visits', 'visitors']]] },
  { id: 'sources', tabs: [['visit:source', 'Sources', ['visitors', 'visits']], ['visit:referrer', 'Referrers', ['visitors', 'visits']],
    ['visit:referrer_medium', 'Medium', ['visitors', 'visits']],
    ['visit:utm_source', 'UTM source', ['visitors', 'visits']], ['visit:utm_medium', 'UTM medium', ['visitors', 'visits']],
    ['visit:utm_campaign', 'UTM campaign', ['visitors', 'visits']]] },
  { id: 'locations', map: true, tabs: [['visit:country', 'Countries', ['visitors', 'visits']]] },
  { id: 'devices', tabs: [['visit:browser', 'Browsers', ['visitors', 'visits']], ['visit:os', 'Operating systems', ['visitors', 'visits']],
    ['visit:device', 'Devices', ['visitors', 'visits']]] },
  { id: 'goals', tabs: [['event:goal', 'Goals', ['visitors', 'conversions', 'conversion_rate']]] },
  { id: 'events', tabs: [['event:type', 'Event types', ['events', 'visitors']], ['event:name', 'Event names', ['events', 'visitors']]] },
  { id: 'props', named: 'property', tabs: [['event:props:', 'Custom properties', ['events', 'visitors']]] },
  { id: 'traits', named: 'trait', fallback: 'gender', tabs: [['visitor:trait:', 'Visitor traits', ['visitors']]] },
];

const LIMIT = 10;
/** Column headings short enough for a phone. */
const COLUMN = { visitors: 'Visitors', pageviews: 'Views', visits: 'Visits', events: 'Events', conversions: 'Conv.', conversion_rate: 'CR' };
const column = (m) => COLUMN[m] || label(m);

/** One panel on the page, refreshed with `load(query)`. */
export class Panel {
  constructor(spec, onFilter) {
    this.spec = spec;
    this.onFilter = onFilter;
    this.tab = 0;
    this.name = spec.named ? sessionStorage.getItem('vantage.panel.' + spec.id) || spec.fallback || '' : '';
    this.body = h('div', { class: 'rows' });
    this.head = h('div', { class: 'panel-head' });
    this.map = spec.map ? h('div', { class: 'map-box' }) : null;
    this.el = h('section', { class: 'panel breakdown', id: 'panel-' + spec.id, 'data-panel': spec.id }, this.head, this.map, this.body);
    this.drawHead();
  }

  dimension() {
    const [dim] = this.spec.tabs[this.tab];
    return this.spec.named ? dim + this.name : dim;
  }

  drawHead() {
    const tabs = this.spec.tabs.map(([, title], i) => h('button', { type: 'button', class: 'tab' + (i === this.tab ? ' active' : ''),
      'aria-pressed': String(i === this.tab), onclick: () => { this.tab = i; this.drawHead(); this.reload(); } }, title));
    const extra = [];
    if (this.spec.named) {
      const input = h('input', { class: 'name', value: this.name, placeholder: this.spec.named + ' name', 'aria-label': this.spec.named + ' name',
        size: 10 });
      input.addEventListener('change', () => {
        this.name = input.value.trim();
        sessionStorage.setItem('vantage.panel.' + this.spec.id, this.name);
        this.reload();
      });
      extra.push(input);
    }
    const metrics = this.spec.tabs[this.tab][2];
    fill(this.head, h('div', { class: 'tabs' }, tabs, ...extra),
      h('div', { class: 'cols' }, h('span', { class: 'key' }, this.spec.tabs[this.tab][1]), metrics.map((m) => h('span', { class: 'n', title: label(m) }, column(m)))));
  }

  /** Runs the panel's query (the page's filters and period are in `base`) and draws its rows. */
  async load(api, base) {
    this.api = api;
    this.base = base;
    if (this.spec.named && !this.name) {
      fill(this.body, h('p', { class: 'muted' }, `Name a ${this.spec.named} to break down by it.`));
      return;
    }
    const metrics = this.spec.tabs[this.tab][2];
    const dimension = this.dimension();
    try {
      const [res, all] = await Promise.all([
        api.query({ ...base, metrics: [...metrics, 'percentage'], dimensions: [dimension], order_by: [[metrics[0], 'desc']],
          pagination: { limit: LIMIT } }),
        // The map shows every country, not only the top ones.
        this.map ? api.query({ ...base, metrics: ['visitors'], dimensions: [dimension], pagination: { limit: 300 } }) : null,
      ]);
      this.draw(dimension, metrics, res);
      if (all) {
        drawMap(this.map, all.results.map((r) => ({ code: String(r.dimensions[0]), value: r.metrics[0] })),
          (code) => this.onFilter({ dimension, op: 'is', value: code }), (v) => format('visitors', v));
      }
    } catch (e) {
      fill(this.body, h('p', { class: 'error' }, e.message));
    }
  }

  reload() {
    if (this.api) this.load(this.api, this.base);
  }

  draw(dimension, metrics, res) {
    const estimated = estimatedMetrics(res);
    if (!res.results.length) {
      fill(this.body, h('p', { class: 'muted' }, 'No data for this period.'));
      return;
    }
    fill(this.body, res.results.map((row) => {
      const value = String(row.dimensions[0]);
      const share = row.metrics[metrics.length];
      const bar = h('span', { class: 'bar' });
      bar.style.width = Math.max(0, Math.min(100, share || 0)) + '%';
      return h('button', { type: 'button', class: 'row', title: `Filter by ${label(dimension)} ${value}`,
        'data-value': value, onclick: () => this.onFilter({ dimension, op: 'is', value }) },
      bar, h('span', { class: 'key' }, dimension === 'visit:country' && countryName(value) !== value ? `${countryName(value)} (${value})` : value),
      metrics.map((m, i) => h('span', { class: 'n' + (estimated.has(m) ? ' estimate' : ''), 'data-metric': m,
        title: estimated.has(m) ? 'estimate' : null }, (estimated.has(m) ? '≈' : '') + format(m, row.metrics[i]))));
    }));
  }
}

/** The metrics the API marked as estimates in a response (`meta.estimated`). */
export function estimatedMetrics(res) {
  const e = res && res.meta && res.meta.estimated;
  if (!e) return new Set();
  return new Set(Array.isArray(e) ? e.map((x) => (typeof x === 'string' ? x : x.metric)) : Object.keys(e));
}
