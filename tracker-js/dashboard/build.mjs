// Builds the dashboard into dist/dashboard: one script and one style sheet (uPlot bundled, no CDN),
// and the page that loads them. Run by `npm run build`, which the Maven build calls.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';

const out = new URL('../dist/dashboard/', import.meta.url);
await mkdir(out, { recursive: true });
await build({
  entryPoints: [new URL('./src/main.js', import.meta.url).pathname, new URL('./src/dashboard.css', import.meta.url).pathname],
  bundle: true, minify: true, format: 'iife', target: 'es2020', legalComments: 'eof',
  outdir: out.pathname, entryNames: 'dashboard', logLevel: 'warning',
});
await copyFile(new URL('./index.html', import.meta.url), new URL('index.html', out));
