const $ = (id) => document.getElementById(id);
const HEAD = [['visitors', 'Visitors'], ['visits', 'Visits'], ['pageviews', 'Pageviews'], ['bounce_rate', 'Bounce rate'],
  ['visit_duration', 'Visit duration'], ['events', 'Events'], ['conversions', 'Conversions'], ['realtime_visitors', 'Now online']];
const TABLES = [['event:page', 'Top pages', 'pageviews'], ['visit:source', 'Sources', 'visits'], ['visit:entry_page', 'Entry pages', 'visits'],
  ['visit:country', 'Countries', 'visits'], ['visit:device', 'Devices', 'visits'], ['visit:browser', 'Browsers', 'visits'],
  ['event:type', 'Interactions', 'events'], ['visit:utm_campaign', 'Campaigns', 'visits']];
const fmt = (k, v) => k === 'bounce_rate' ? v.toFixed(1) + '%' : k === 'visit_duration' ? Math.floor(v / 60) + 'm ' + Math.round(v % 60) + 's'
  : Number.isInteger(v) ? v.toLocaleString() : v.toFixed(2);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

async function query(body) {
  const r = await fetch('/api/v2/query', { method: 'POST', headers: { Authorization: 'Bearer ' + $('token').value, 'Content-Type': 'application/json' },
    body: JSON.stringify(Object.assign({ site_id: $('site').value, date_range: dateRange() }, body)) });
  const json = await r.json();
  if (!r.ok) throw new Error(json.message || r.status);
  return json.results;
}

const custom = () => $('range').value === 'custom';
const dateRange = () => custom() ? [$('from').value, $('to').value || $('from').value] : $('range').value;

async function refresh() {
  $('from').style.display = $('to').style.display = custom() ? '' : 'none';
  // Kept for this browser session only, and never taken from the URL (where it would land in history and logs).
  sessionStorage.setItem('vantage.token', $('token').value);
  localStorage.setItem('vantage.dashboard', JSON.stringify({ site: $('site').value, range: $('range').value,
    from: $('from').value, to: $('to').value }));
  try {
    const range = $('range').value;
    const [totals] = await query({ metrics: HEAD.map((h) => h[0]) });
    $('cards').innerHTML = HEAD.map(([k, label], i) => `<div class="card"><div class="label">${label}</div><div class="value" data-metric="${k}">${fmt(k, totals.metrics[i])}</div></div>`).join('');
    const oneDay = range === 'day' || (custom() && dateRange()[0] === dateRange()[1]);
    const timeDim = range === 'realtime' ? 'time:minute' : oneDay ? 'time:hour' : 'time:day';
    const series = await query({ metrics: ['visitors', 'pageviews'], dimensions: [timeDim] });
    drawChart(series);
    const tables = await Promise.all(TABLES.map(([dim, , metric]) => query({ metrics: [metric, 'visitors'], dimensions: [dim],
      order_by: [[metric, 'desc']], pagination: { limit: 8 } }).catch(() => [])));
    $('tables').innerHTML = TABLES.map(([dim, title, metric], i) => {
      const rows = tables[i];
      const max = Math.max(1, ...rows.map((r) => r.metrics[0]));
      return `<div class="panel" data-dimension="${dim}"><h2>${title} <span class="right">${metric}</span></h2><table>` +
        (rows.length ? rows.map((r) => `<tr><td>${esc(r.dimensions[0])}<div class="bar" data-width="${100 * r.metrics[0] / max}"></div></td><td class="n">${fmt(metric, r.metrics[0])}</td></tr>`).join('')
          : '<tr><td class="muted">No data yet</td></tr>') + '</table></div>';
    }).join('');
    $('tables').querySelectorAll('.bar').forEach((b) => { b.style.width = b.dataset.width + '%'; });
    $('status').innerHTML = '<span class="live"></span>live, updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    $('status').innerHTML = '<span class="error">' + esc(e.message) + '</span>';
  }
}

function drawChart(rows) {
  const svg = $('chart');
  const w = 1000, h = 160, n = Math.max(rows.length, 1), max = Math.max(1, ...rows.map((r) => r.metrics[0]));
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.innerHTML = rows.map((r, i) => {
    const bh = (h - 20) * r.metrics[0] / max, bw = w / n;
    return `<rect x="${i * bw + 1}" y="${h - 16 - bh}" width="${Math.max(1, bw - 2)}" height="${bh}" fill="#4f46e5" opacity=".75"><title>${esc(r.dimensions[0])}: ${r.metrics[0]} visitors, ${r.metrics[1]} pageviews</title></rect>`;
  }).join('') + (rows.length ? `<text x="0" y="${h - 2}" font-size="11" fill="#6b7385">${esc(rows[0].dimensions[0])}</text><text x="${w}" y="${h - 2}" font-size="11" fill="#6b7385" text-anchor="end">${esc(rows[rows.length - 1].dimensions[0])}</text>` : '');
}

const saved = JSON.parse(localStorage.getItem('vantage.dashboard') || '{}');
const params = new URLSearchParams(location.search);
$('token').value = sessionStorage.getItem('vantage.token') || '';
$('site').value = params.get('site') || saved.site || '';
$('from').value = params.get('from') || saved.from || '';
$('to').value = params.get('to') || saved.to || '';
$('range').value = params.get('range') || (params.get('from') ? 'custom' : saved.range || 'day');
$('from').style.display = $('to').style.display = custom() ? '' : 'none';
$('go').onclick = refresh;
$('range').onchange = refresh;
if ($('token').value && $('site').value) refresh();
setInterval(() => { if ($('token').value && $('site').value && !document.hidden) refresh(); }, 5000);
