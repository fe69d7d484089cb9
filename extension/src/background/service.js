/**
 * The client of the local Discreet service. The background worker is the only part of the extension
 * that talks to it; every call goes to the loopback origin from settings and nowhere else.
 */
import { REASON } from '../shared/messages.js';
import { loopbackOrigin } from '../shared/settings.js';

const HEALTH_TIMEOUT_MS = 2000;
const SCAN_TIMEOUT_MS = 5000;

/** One request to the service; network failures come back as {ok:false, reason:"unreachable"}. */
async function call(serviceUrl, path, { method = 'GET', token, body, signal, timeout }) {
  const url = `${loopbackOrigin(serviceUrl)}${path}`;
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const signals = [AbortSignal.timeout(timeout)];
  if (signal) signals.push(signal);
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.any(signals),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch (err) {
    if (signal?.aborted) return { ok: false, reason: REASON.CANCELLED };
    return { ok: false, reason: REASON.UNREACHABLE, message: 'The Discreet service is not answering.' };
  }
  const data = await response.json().catch(() => ({}));
  if (response.ok) return { ok: true, data };
  const message = data?.error?.message || `The service answered ${response.status}.`;
  if (response.status === 401) return { ok: false, reason: REASON.UNPAIRED, status: 401, message };
  return { ok: false, reason: REASON.REJECTED, status: response.status, message };
}

export function health(serviceUrl) {
  return call(serviceUrl, '/v1/health', { timeout: HEALTH_TIMEOUT_MS });
}

export async function scan(serviceUrl, token, text, site, signal) {
  if (!token) return { ok: false, reason: REASON.UNPAIRED, message: 'Not paired with the Discreet service yet.' };
  const reply = await call(serviceUrl, '/v1/scan', { method: 'POST', token, body: { text, site }, signal, timeout: SCAN_TIMEOUT_MS });
  return reply.ok ? { ok: true, findings: reply.data.findings ?? [], policy: reply.data.policy } : reply;
}

/** Exchange a one-time code from `discreet pair` for a token (dashes, spaces and case do not matter). */
export async function pair(serviceUrl, code) {
  const clean = String(code).replace(/[\s-]/g, '').toUpperCase();
  const reply = await call(serviceUrl, '/v1/pair', { method: 'POST', body: { code: clean }, timeout: HEALTH_TIMEOUT_MS });
  if (reply.ok && reply.data.token) return { ok: true, token: reply.data.token };
  return { ok: false, reason: reply.reason ?? REASON.REJECTED, message: reply.message ?? 'The service did not return a token.' };
}

const SEVERITIES = new Set(['block', 'warn', 'info']);

/** The categories in a /v1/categories answer, or null if it does not follow the contract. */
export function parseCategories(data) {
  if (!data || typeof data.fingerprint !== 'string' || !Array.isArray(data.categories)) return null;
  const out = [];
  for (const c of data.categories) {
    const fields = ['name', 'label', 'replacement'];
    if (!c || fields.some((f) => typeof c[f] !== 'string') || !c.name || !SEVERITIES.has(c.severity)) return null;
    out.push({ name: c.name, label: c.label, severity: c.severity, replacement: c.replacement });
  }
  return { fingerprint: data.fingerprint, categories: out };
}

/** The policy's categories (labels, severities, default replacements): the one source of them. */
export async function categories(serviceUrl, token) {
  if (!token) return { ok: false, reason: REASON.UNPAIRED, message: 'Not paired with the Discreet service yet.' };
  const reply = await call(serviceUrl, '/v1/categories', { token, timeout: HEALTH_TIMEOUT_MS });
  if (!reply.ok) return reply;
  const parsed = parseCategories(reply.data);
  return parsed ? { ok: true, ...parsed } : { ok: false, reason: REASON.REJECTED, message: 'The service sent categories in an unknown shape.' };
}
