// posthog-js from npm, unmodified, behind the one facade the peer tests drive.
import posthog from 'posthog-js';

window.peer = {
  init(vantage, site) {
    posthog.init(site.key, {
      api_host: vantage, capture_pageview: 'history_change', autocapture: false, capture_pageleave: false,
      disable_session_recording: true, request_batching: false, persistence: 'localStorage',
    });
  },
  event(name, props) { posthog.capture(name, props); },
  navigate(path) { history.pushState({}, '', path); }, // counted by capture_pageview: 'history_change'
  identify(id, traits) { posthog.identify(id, traits); return true; },
};
