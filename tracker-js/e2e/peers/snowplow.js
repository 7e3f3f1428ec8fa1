// Snowplow's browser tracker from npm, unmodified, behind the one facade the peer tests drive.
import { newTracker, trackPageView, trackSelfDescribingEvent } from '@snowplow/browser-tracker';

window.peer = {
  init(vantage, site) {
    newTracker('sp1', vantage, { appId: site.key, platform: 'web', eventMethod: 'post', bufferSize: 1, contexts: { webPage: true } });
    trackPageView();
  },
  event(name, props) {
    trackSelfDescribingEvent({ event: { schema: `iglu:com.example/${name}/jsonschema/1-0-0`, data: props } });
  },
  // Snowplow counts a single-page navigation when the site tells it to, as sites using it do
  navigate(path) { history.pushState({}, '', path); trackPageView(); },
  identify() { return false; }, // setUserId sets a business id, not traits
};
