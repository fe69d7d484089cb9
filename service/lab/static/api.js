/**
 * The lab's only way out: calls to the service that served the page, with the session token from this
 * tab's sessionStorage. `discreet lab` opens the page with a one-time link in the URL fragment (#link=...),
 * which the browser never sends to a server; it is wiped from the address bar at once and traded for a
 * lab session. The admin token can also be typed in.
 */
const TOKEN_KEY = 'discreet-lab-token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Trade a one-time link from the URL fragment for a session if there is one; return the tab's token (or null). */
export async function adoptTokenFromFragment() {
  const match = location.hash.match(/(?:^#|&)link=([^&]+)/);
  if (match) {
    history.replaceState(null, '', location.pathname + location.search);
    try {
      const session = await call('POST', '/v1/lab/session', { link: decodeURIComponent(match[1]) });
      sessionStorage.setItem(TOKEN_KEY, session.token);
    } catch {
      forgetToken();
    }
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** A JSON call to the service; errors become ApiError with the service's code and message. */
export async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, data.error?.code ?? 'error', data.error?.message ?? response.statusText);
  }
  return data;
}
