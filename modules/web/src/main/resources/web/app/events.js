// What the shopper does, sent to /events like analytics.js (Segment's page, track and identify calls): fire
// and forget. A failing, slow or missing events service never breaks or delays a page: every call is caught,
// sent with keepalive (so it survives leaving the page) and nothing waits for it. Pages are named by their
// path without the query, so the tokens in reset and verification links are never sent.
import { accessToken } from './api.js';
import { currentLang } from './i18n.js';

const ANON = 'plaza.anonymousId';

function anonymousId() {
  try {
    let id = localStorage.getItem(ANON);
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem(ANON, id);
    }
    return id;
  } catch {
    return 'anonymous';
  }
}

function send(type, body) {
  try {
    const now = new Date().toISOString();
    const headers = { 'Content-Type': 'application/json' };
    const token = accessToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    const path = (location.hash.replace(/^#/, '') || '/').split('?')[0];
    const event = {
      ...body, type, anonymousId: anonymousId(), messageId: crypto.randomUUID(), timestamp: now, sentAt: now,
      context: { locale: currentLang(), page: { path, title: document.title }, library: { name: 'plaza-web', version: '1' } },
    };
    fetch(`/events/${type}`, { method: 'POST', headers, body: JSON.stringify(event), keepalive: true, credentials: 'omit' })
      .catch(() => {});
  } catch {
    // never the page's problem
  }
}

/** A page view; name is the route's path ('/products/12'), never its query. */
export function page(name) {
  send('page', { name, properties: { path: name } });
}

export function track(event, properties = {}) {
  send('track', { event, properties });
}

/** After signing in: links this browser's anonymous id to the account. */
export function identify(user) {
  send('identify', { traits: { name: user?.name } });
}
