// Vantage's own tracker, loaded from the running Vantage, behind the same facade.
window.peer = {
  init(vantage, site) {
    const s = document.createElement('script');
    s.src = vantage + '/tracker.js';
    s.dataset.site = site.id;
    s.dataset.localhost = 'true';
    s.dataset.automation = 'true';
    document.head.appendChild(s);
    return new Promise((resolve) => { s.onload = resolve; });
  },
  event(name, props) { window.vantage('event', name, props); },
  navigate(path) { history.pushState({}, '', path); },
  identify(id, traits) { window.vantage('identify', traits); return true; },
};
