// The dashboard's client of the Vantage API: the token travels in the Authorization header only.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
  }
}

export class Api {
  constructor(token) {
    this.token = token;
  }

  async request(method, path, body) {
    const r = await fetch(path, {
      method,
      headers: { Authorization: 'Bearer ' + this.token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
    });
    const json = r.status === 204 ? null : await r.json().catch(() => null);
    if (!r.ok) throw new ApiError(r.status, json);
    return json;
  }

  get(path) {
    return this.request('GET', path);
  }

  query(body) {
    return this.request('POST', '/api/v2/query', body);
  }

  /**
   * Follows the server-sent events of `path` (fetch, so the token stays in a header), calling
   * `onEvent(name, data)` for each; reconnects after a second when the stream ends. Returns a stop function.
   */
  stream(path, onEvent, onState) {
    let stopped = false;
    let controller;
    const run = async () => {
      while (!stopped) {
        controller = new AbortController();
        try {
          const r = await fetch(path, { headers: { Authorization: 'Bearer ' + this.token, Accept: 'text/event-stream' }, signal: controller.signal });
          if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
          onState(true);
          const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              let name = 'message';
              const data = [];
              for (const line of block.split('\n')) {
                if (line.startsWith('event:')) name = line.slice(6).trim();
                else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
              }
              if (data.length) onEvent(name, JSON.parse(data.join('\n')));
            }
          }
        } catch (e) {
          if (stopped) return;
          if (e instanceof ApiError && (e.status === 401 || e.status === 403)) { onState(false, e); return; }
        }
        onState(false);
        await new Promise((res) => setTimeout(res, 1000));
      }
    };
    run();
    return () => { stopped = true; if (controller) controller.abort(); };
  }
}
