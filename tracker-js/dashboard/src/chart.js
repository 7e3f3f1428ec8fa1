// The time-series chart: uPlot (canvas; values of every series under the cursor in its legend).
import uPlot from 'uplot';
import { bucketLabel, format, label } from './format.js';

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * Draws `series` ([{metric, values}], the first being the main one) over the time `labels` of
 * `interval`, with `previous` (values of the comparison period, bucket by bucket) dashed, if any.
 */
export function drawChart(el, { labels, interval, metric, values, previous, previousLabels }) {
  el.replaceChildren();
  const xs = labels.map((_, i) => i);
  const accent = css('--accent') || '#4f46e5';
  const muted = css('--muted') || '#6b7385';
  const grid = css('--grid') || '#e5e7eb';
  const series = [
    { label: 'Time', value: (u, i) => (i == null || labels[i] == null ? '' : labels[i]) },
    { label: label(metric), stroke: accent, width: 2, fill: accent + '22', points: { show: labels.length < 60 }, value: (u, v) => format(metric, v) },
  ];
  const data = [xs, values];
  if (previous) {
    series.push({ label: 'Previous period', stroke: muted, width: 1.5, dash: [6, 4], points: { show: false },
      value: (u, v, si, i) => (i == null || previousLabels[i] == null ? '' : `${format(metric, v)} (${previousLabels[i]})`) });
    data.push(xs.map((i) => (previous[i] == null ? null : previous[i])));
  }
  const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const opts = {
    width: Math.max(280, el.clientWidth),
    height: 240,
    scales: { x: { time: false } },
    series,
    axes: [
      { ...axis, values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) && labels[t] ? bucketLabel(labels[t], interval) : '')) },
      { ...axis, size: 56, values: (u, ticks) => ticks.map((t) => t.toLocaleString('en-US')) },
    ],
    legend: { live: true },
    cursor: { points: { size: 6 } },
  };
  const plot = new uPlot(opts, data, el);
  const resize = () => plot.setSize({ width: Math.max(280, el.clientWidth), height: 240 });
  window.addEventListener('resize', resize);
  return () => { window.removeEventListener('resize', resize); plot.destroy(); };
}
