// The world map of the countries panel: Natural Earth 1:110m shapes (world-atlas), projected by
// d3-geo, coloured by visitors; country names from i18n-iso-countries. Built as SVG elements, no HTML.
import { feature } from 'topojson-client';
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import world from 'world-atlas/countries-110m.json';
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';

countries.registerLocale(en);
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 960;
const HEIGHT = 470;
const shapes = feature(world, world.objects.countries).features;
const path = geoPath(geoNaturalEarth1().fitSize([WIDTH, HEIGHT], { type: 'FeatureCollection', features: shapes }));
const outlines = shapes.map((f) => ({ id: String(f.id).padStart(3, '0'), d: path(f) }));

/** A country's name from its ISO 3166-1 alpha-2 code ("Unknown" and other values as they are). */
export function countryName(code) {
  return (code && code.length === 2 && countries.getName(code, 'en')) || code;
}

/** Draws `rows` ([{code, value}]) on the map in `el`; `onPick(code)` when a country with visitors is clicked. */
export function drawMap(el, rows, onPick, format) {
  const byNumeric = new Map();
  for (const r of rows) {
    const numeric = countries.alpha2ToNumeric(r.code);
    if (numeric) byNumeric.set(numeric, r);
  }
  const max = Math.max(1, ...rows.map((r) => r.value));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('class', 'map');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Visitors by country');
  for (const o of outlines) {
    if (!o.d) continue;
    const shape = document.createElementNS(SVG, 'path');
    shape.setAttribute('d', o.d);
    const row = byNumeric.get(o.id);
    const title = document.createElementNS(SVG, 'title');
    if (row) {
      shape.setAttribute('class', 'country has');
      shape.setAttribute('data-country', row.code);
      shape.style.fillOpacity = String(0.2 + 0.8 * Math.sqrt(row.value / max));
      title.textContent = `${countryName(row.code)}: ${format(row.value)} visitors`;
      shape.addEventListener('click', () => onPick(row.code));
    } else {
      shape.setAttribute('class', 'country');
      title.textContent = countries.getName(countries.numericToAlpha2(o.id) || '', 'en') || '';
    }
    shape.append(title);
    svg.append(shape);
  }
  el.replaceChildren(svg);
}
