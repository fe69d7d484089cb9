/**
 * The client of the local Discreet service. The background worker is the only part of the extension
 * that talks to it; every call goes to the loopback origin from settings and nowhere else.
 */
import { REASON } from '../shared/messages.js';
import { loopbackOrigin } from '../shared/settings.js';
import { newNonce, proofMatches } from './proof.js';

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

const UNPAIRED = Object.freeze({ ok: false, reason: REASON.UNPAIRED, message: 'Not paired with the Discreet service yet.' });
const UNPROVEN = Object.freeze({
  ok: false, reason: REASON.UNPROVEN, message: 'The program on the service address could not prove it is the Discreet service.',
});

/**
 * Ask whatever listens at `serviceUrl` to prove it holds `token` (POST /v1/hello, no credentials).
 * {ok: true, version} only for the genuine service; a wrong proof, an error answer or no /v1/hello at all
 * is "unproven"; no answer is "unreachable".
 */
export async function hello(serviceUrl, token) {
  const nonce = newNonce();
  const reply = await call(serviceUrl, '/v1/hello', { method: 'POST', body: { nonce }, timeout: HEALTH_TIMEOUT_MS });
  if (!reply.ok && reply.reason === REASON.UNREACHABLE) return reply;
  if (!reply.ok || !await proofMatches(token, nonce, reply.data?.proof)) return UNPROVEN;
  return { ok: true, version: reply.data.version };
}

const proving = new Map(); // "url\0token" -> the hello in flight, shared by the requests that wait for it

/**
 * A request that carries the token: sent only after a fresh proof. Every such request is proved anew, so
 * a service that stopped and a squatter that took its port in between (no connection error shows it:
 * the browser reconnects quietly) gets a hello, never the token; requests started while one hello is in
 * flight share it.
 */
async function authed(serviceUrl, token, path, options) {
  if (!token) return UNPAIRED;
  const key = `${serviceUrl}\u0000${token}`;
  if (!proving.has(key)) proving.set(key, hello(serviceUrl, token).finally(() => proving.delete(key)));
  const proof = await proving.get(key);
  if (options.signal?.aborted) return { ok: false, reason: REASON.CANCELLED };
  if (!proof.ok) return proof;
  return call(serviceUrl, path, { ...options, token });
}

export async function scan(serviceUrl, token, text, site, signal) {
  const reply = await authed(serviceUrl, token, '/v1/scan', { method: 'POST', body: { text, site }, signal, timeout: SCAN_TIMEOUT_MS });
  return reply.ok ? { ok: true, findings: reply.data.findings ?? [], policy: reply.data.policy } : reply;
}

/** Report user actions (issue 13): `events` are built by events.js and never hold text. */
export function sendEvents(serviceUrl, token, events) {
  return authed(serviceUrl, token, '/v1/events', { method: 'POST', body: { events }, timeout: HEALTH_TIMEOUT_MS });
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
  const reply = await authed(serviceUrl, token, '/v1/categories', { timeout: HEALTH_TIMEOUT_MS });
  if (!reply.ok) return reply;
  const parsed = parseCategories(reply.data);
  return parsed ? { ok: true, ...parsed } : { ok: false, reason: REASON.REJECTED, message: 'The service sent categories in an unknown shape.' };
}
