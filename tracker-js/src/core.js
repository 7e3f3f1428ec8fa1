// Pure parts of the tracker, unit-tested under node without a browser.

/** Whether tracking may run: Do-Not-Track, opt-out, localhost and automation are off unless asked. */
export function allowed(env, opts) {
  if (env.dnt === '1' || env.dnt === 'yes' || env.optedOut) return false;
  if (!opts.localhost && /^(localhost|127\.|\[::1\]$)/.test(env.host)) return false;
  if (!opts.automation && env.webdriver) return false;
  return true;
}

/** Extensions that make a link a download. */
export const DOWNLOADS = /\.(pdf|zip|gz|tgz|rar|7z|dmg|exe|msi|pkg|deb|rpm|apk|iso|csv|xlsx?|docx?|pptx?|odt|ods|txt|rtf|epub|mp3|wav|flac|mp4|mov|avi|mkv)$/i;

/** What a click on a link is: 'download', 'outbound' or null. */
export function linkKind(href, host) {
  let u;
  try { u = new URL(href); } catch (e) { return null; }
  if (!/^https?:$/.test(u.protocol)) return null;
  if (DOWNLOADS.test(u.pathname)) return 'download';
  return u.host !== host ? 'outbound' : null;
}

/** Retry delay after `failures` failed sends: exponential, capped at a minute. */
export function backoff(failures) {
  return Math.min(60000, 1000 * 2 ** Math.max(0, failures - 1));
}

/** Keeps at most `max` pending events, dropping the oldest first. */
export function bound(events, max) {
  return events.length > max ? events.slice(events.length - max) : events;
}

/** What to do with a response: 'ok', 'retry' (network error, 5xx, 429) or 'drop' (other 4xx). */
export function outcome(status) {
  if (status >= 200 && status < 300) return 'ok';
  return !status || status >= 500 || status === 429 ? 'retry' : 'drop';
}

/** A random id (event ids, visitor ids). */
export function uid() {
  const c = globalThis.crypto;
  if (c && c.randomUUID) return c.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}
