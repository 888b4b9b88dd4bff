// REST calls to this origin, with the session's access token. The session (tokens and the user) lives in
// sessionStorage: gone when the tab closes, never in a cookie. The access token is refreshed quietly a
// minute before it expires; concurrent callers share one refresh, since a refresh token is single-use.

const KEY = 'plaza.session';
let session = load();
let refreshTimer = null;
let refreshing = null;
const listeners = new Set();

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) ?? null;
  } catch {
    return null;
  }
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function currentUser() {
  return session?.user ?? null;
}

/** Whether the signed-in user has the admin role (the API checks it anyway; this only decides what to show). */
export function isAdmin() {
  return Boolean(session?.user?.roles?.includes('admin'));
}

/** The current access token (for a WebSocket's subprotocol), or null. */
export function accessToken() {
  return session?.access ?? null;
}

export function onSessionChange(fn) {
  listeners.add(fn);
}

function store(tokens) {
  if (tokens) {
    session = {
      access: tokens.access_token,
      refresh: tokens.refresh_token,
      expiresAt: Date.now() + tokens.expires_in * 1000,
      user: tokens.user,
    };
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } else {
    session = null;
    sessionStorage.removeItem(KEY);
  }
  scheduleRefresh();
  listeners.forEach((fn) => fn(currentUser(), accessToken()));
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  if (!session) return;
  const wait = Math.max(1000, session.expiresAt - Date.now() - 60_000);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), wait);
}

/** Exchanges the refresh token for new tokens; one at a time. A rejected refresh ends the session. */
export function refresh() {
  if (!session) return Promise.resolve(false);
  if (!refreshing) {
    const token = session.refresh;
    refreshing = send('POST', '/auth/refresh', { refresh_token: token }, false)
      .then((tokens) => { store(tokens); return true; })
      .catch((e) => {
        if (e.status === 401) store(null);
        throw e;
      })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** type: the body's media type; a JSON body is an object, any other a string sent as it is (JSON Lines imports). */
async function send(method, path, body, auth, type = 'application/json') {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = type;
  if (auth && session) headers.Authorization = `Bearer ${session.access}`;
  const payload = body === undefined || type !== 'application/json' ? body : JSON.stringify(body);
  const res = await fetch(path, { method, headers, body: payload });
  if (res.status === 204) return null;
  const answered = res.headers.get('Content-Type') || '';
  const data = answered.includes('json') ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** A call with the access token; on a 401 it refreshes once and retries. */
export async function api(method, path, body, type) {
  if (session && session.expiresAt - Date.now() < 5000) await refresh().catch(() => {});
  try {
    return await send(method, path, body, true, type);
  } catch (e) {
    if (e.status === 401 && session && (await refresh().catch(() => false))) {
      return send(method, path, body, true, type);
    }
    throw e;
  }
}

export async function login(email, password) {
  store(await send('POST', '/auth/login', { email, password }, false));
}

export function register(name, email, password) {
  return send('POST', '/auth/register', { name, email, password }, false);
}

export async function logout() {
  if (!session) return;
  const refreshToken = session.refresh;
  try {
    await send('POST', '/auth/logout', { refresh_token: refreshToken }, true);
  } finally {
    store(null);
  }
}

/** A call made without the session (forgot/reset password, verify email: the mail's token is the proof). */
export function publicCall(method, path, body) {
  return send(method, path, body, false);
}

/** Replaces the signed-in user shown by the app (after a profile edit or a verification). */
export function updateUser(user) {
  if (!session || !user) return;
  session.user = { ...session.user, ...user };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  listeners.forEach((fn) => fn(currentUser(), accessToken()));
}

/** Ends the session here without calling the server (after the account was deleted). */
export function forgetSession() {
  store(null);
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && String(v).trim() !== '') q.set(k, String(v).trim());
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

scheduleRefresh();
