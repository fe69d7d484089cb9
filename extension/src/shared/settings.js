/**
 * Settings: defaults, the user's choices (storage.local) and the administrator's (storage.managed),
 * which win and are shown locked.
 */

export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8765';

export const DEFAULTS = Object.freeze({
  serviceUrl: DEFAULT_SERVICE_URL,
  token: '',
  mode: 'block',
  failMode: 'open',
  policyLink: '',
  extraSites: [],
  allowPostAnyway: true,
  paused: false,
  /** Only the user's own replacement texts; labels, severities and default replacements come from the service. */
  replacements: {},
});

/** Keys an administrator may set through storage.managed (see managed_schema.json). */
export const MANAGED_KEYS = Object.freeze([
  'serviceUrl', 'token', 'mode', 'failMode', 'policyLink', 'extraSites', 'allowPostAnyway',
]);

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The service URL as an origin string if it points at this machine, else throws with a reason.
 * The extension must never send post text anywhere else.
 */
export function loopbackOrigin(value) {
  let url;
  try {
    url = new URL(String(value).trim());
  } catch {
    throw new Error('not a URL (expected e.g. http://127.0.0.1:8765)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must start with http:// or https://');
  const host = url.hostname;
  if (!(LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host))) {
    throw new Error('must be on this computer (127.0.0.1, localhost or [::1])');
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new Error('must be just the address, e.g. http://127.0.0.1:8765');
  }
  return url.origin;
}

/**
 * The replacement phrase for a category: the user's own, else the policy's (from the service's
 * /v1/categories), else "[redacted]".
 * @param {{replacements?: object}} settings @param {string} category @param {Map<string, object>} [categories]
 */
export function replacementFor(settings, category, categories) {
  return settings.replacements?.[category] || categories?.get(category)?.replacement || '[redacted]';
}

/**
 * Merge defaults, user and managed values; returns {values, locked} where locked lists managed keys.
 * The native host's answer (`nativeHost`: this user's service address and token) wins over managed values:
 * the administrator installs both, and only the host knows this user's own port on a shared machine.
 */
export function mergeSettings(user = {}, managed = {}) {
  const { nativeHost, ...own } = user;
  const values = { ...DEFAULTS, ...own, replacements: { ...(own.replacements || {}) } };
  const locked = [];
  for (const key of MANAGED_KEYS) {
    if (managed[key] !== undefined) {
      values[key] = managed[key];
      locked.push(key);
    }
  }
  if (nativeHost?.serviceUrl && nativeHost?.token) {
    values.serviceUrl = nativeHost.serviceUrl;
    values.token = nativeHost.token;
  }
  try {
    values.serviceUrl = loopbackOrigin(values.serviceUrl);
  } catch {
    values.serviceUrl = DEFAULT_SERVICE_URL;
  }
  return { values, locked };
}

/** Everything but the token, for content scripts and extension pages. */
export function publicView({ values, locked }) {
  const { token, ...rest } = values;
  return { values: { ...rest, paired: Boolean(token) }, locked };
}
