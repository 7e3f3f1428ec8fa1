// Plausible's npm tracker, unmodified, behind the one facade the peer tests drive.
import { init, track } from '@plausible-analytics/tracker';

window.peer = {
  init(vantage, site) {
    init({ domain: site.domain, endpoint: vantage + '/api/event', captureOnLocalhost: true, autoCapturePageviews: true, logging: false });
  },
  event(name, props) { track(name, { props }); },
  navigate(path) { history.pushState({}, '', path); }, // the tracker counts the navigation itself
  identify() { return false; }, // Plausible has no identify
};
