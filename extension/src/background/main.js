/**
 * Background worker: the only part of the extension that talks to the local service and holds the
 * token. Answers content scripts' scans (cancelling each frame's older request), keeps the badge, checks
 * the service's health, pairs (through the native host when it is installed, else with a code), reports
 * user actions, and registers content scripts on extra sites. The token and text go only to a server that
 * has just proved it holds the token (service.js, proof.js).
 */
import { ext } from '../shared/browser.js';
import { MSG, REASON } from '../shared/messages.js';
import { mergeSettings, publicView } from '../shared/settings.js';
import { showBadge } from './badge.js';
import { ScanBudget } from './budget.js';
import { EventReporter } from './events.js';
import { askNativeHost } from './native.js';
import { categories, health, hello, pair, scan, sendEvents } from './service.js';

const HEALTH_ALARM = 'discreet-health';
const EXTRA_SITES_SCRIPT = 'discreet-extra-sites';
const NATIVE_RETRY_MS = 30_000;

let reachable = true;
// storage.managed is slow to answer the first time (seconds in Chromium): read it once, then on change.
let managed = readManaged();
let cached = null;

function readManaged() {
  return ext.storage.managed.get(null).catch(() => ({})); // rejects where no policy can exist (Firefox)
}

/** Merged settings ({values, locked}), cached until either storage area changes. */
function loadSettings() {
  cached ??= Promise.all([ext.storage.local.get(null), managed]).then(([user, m]) => mergeSettings(user, m));
  return cached;
}

const budget = new ScanBudget();
const inflight = new Map(); // "tab:frame:editor" -> AbortController
const findingsByTab = new Map(); // tabId -> Map("frame:editor" -> findings)

function tabFindings(tabId) {
  return [...(findingsByTab.get(tabId)?.values() ?? [])].flat();
}

async function refreshBadge(tabId) {
  const { values } = await loadSettings();
  await showBadge(tabId, { reachable, paused: values.paused, findings: tabFindings(tabId) });
}

async function setReachable(value) {
  if (reachable === value) return;
  reachable = value;
  // Back online: have every page scan again, so marks and badge return without waiting for a keystroke.
  if (reachable) await broadcastSettings();
  else await Promise.all([...findingsByTab.keys()].map(refreshBadge));
}

/**
 * One scan for one editor. A newer scan from the same editor session cancels its older one; scans from
 * other editors in the same frame (a rescan of every editor after reconnecting) all get their answer.
 */
async function onScan({ seq, text, site, editor, priority }, sender) {
  const { values } = await loadSettings();
  if (values.paused) return { ok: false, reason: REASON.PAUSED, seq };
  const tabId = sender.tab?.id ?? -1;
  const key = `${tabId}:${sender.frameId ?? 0}:${editor}`;
  inflight.get(key)?.abort();
  const controller = new AbortController();
  inflight.set(key, controller);
  if (!await budget.take(tabId, text, { priority: Boolean(priority), signal: controller.signal })) {
    return { ok: false, reason: REASON.CANCELLED, seq };
  }
  const reply = await scan(values.serviceUrl, values.token, text, site, controller.signal);
  if (inflight.get(key) === controller) inflight.delete(key);
  if (reply.reason === REASON.CANCELLED) return { ...reply, seq };
  if (reply.ok && categoriesCache && reply.policy !== categoriesCache.fingerprint) {
    categoriesCache = null; // the policy was reloaded: its labels and replacements may have changed
    await broadcastSettings();
  }
  await setReachable(reply.reason !== REASON.UNREACHABLE && reply.reason !== REASON.UNPROVEN);
  if (reply.reason === REASON.UNPAIRED || reply.reason === REASON.UNPROVEN) pairNatively();
  if (tabId >= 0) {
    if (!findingsByTab.has(tabId)) findingsByTab.set(tabId, new Map());
    findingsByTab.get(tabId).set(`${sender.frameId ?? 0}:${editor}`, reply.ok ? reply.findings : []);
    await refreshBadge(tabId);
  }
  return { ...reply, seq };
}


let categoriesCache = null; // {fingerprint, categories} of the policy the service last answered with

/** The policy's categories, fetched again when a scan shows the policy changed (its fingerprint). */
async function onCategories() {
  if (categoriesCache) return { ok: true, ...categoriesCache };
  const { values } = await loadSettings();
  const reply = await categories(values.serviceUrl, values.token);
  if (reply.ok) categoriesCache = { fingerprint: reply.fingerprint, categories: reply.categories };
  return reply;
}

async function status(tabId) {
  const { values, locked } = await loadSettings();
  const reply = await health(values.serviceUrl);
  // Health asks nothing of the server; with a token, only the server's proof counts as connected.
  const proof = reply.ok && values.token ? await hello(values.serviceUrl, values.token) : null;
  await setReachable(reply.ok && proof?.ok !== false);
  return {
    connected: reply.ok,
    proven: Boolean(proof?.ok),
    paired: Boolean(values.token),
    paused: values.paused,
    serviceUrl: values.serviceUrl,
    policy: reply.ok ? reply.data.policy : null,
    version: reply.ok ? reply.data.version : null,
    findings: tabId === undefined ? 0 : tabFindings(tabId).length,
    locked,
  };
}

let nativeTried = -Infinity;
let nativePairing = null;

/**
 * Pair with no code through the native host, if it is installed: take this user's service address and
 * token from it, and once the server there proves it holds that token, hand it the host's one-time code
 * so the service admits this extension's origin (Firefox's is random per install). At most every 30 s.
 */
function pairNatively() {
  if (nativePairing || Date.now() - nativeTried < NATIVE_RETRY_MS || !ext.runtime.sendNativeMessage) return nativePairing;
  nativeTried = Date.now();
  nativePairing = (async () => {
    const host = await askNativeHost((name, message) => ext.runtime.sendNativeMessage(name, message));
    if (!host) return false;
    // The host's answer wins even over managed settings: it is installed by the same administrator and is
    // the only one that knows this user's own port (each user's service takes its own on a shared machine).
    const { values } = await loadSettings();
    const { serviceUrl, token } = host;
    if (host.pairingCode && (await hello(serviceUrl, token)).ok) await pair(serviceUrl, host.pairingCode);
    if (serviceUrl !== values.serviceUrl || token !== values.token) await ext.storage.local.set({ nativeHost: { serviceUrl, token } });
    return true;
  })().finally(() => { nativePairing = null; });
  return nativePairing;
}

async function onPair({ code }) {
  const { values } = await loadSettings();
  const reply = await pair(values.serviceUrl, code);
  if (!reply.ok) return { ok: false, message: reply.message };
  await ext.storage.local.set({ token: reply.token });
  return { ok: true, message: 'Paired with the Discreet service.' };
}

const reporter = new EventReporter({
  send: async (events) => {
    const { values } = await loadSettings();
    return sendEvents(values.serviceUrl, values.token, events);
  },
});

async function onEvents({ events, site, urgent }) {
  const { values } = await loadSettings();
  if (values.paused || values.mode === 'off') return { ok: true, taken: 0 };
  return { ok: true, taken: reporter.add(events, site, { urgent: Boolean(urgent) }) };
}

const HANDLERS = {
  [MSG.EVENTS]: onEvents,
  [MSG.SCAN]: onScan,
  [MSG.SETTINGS]: async () => publicView(await loadSettings()),
  [MSG.CATEGORIES]: onCategories,
  [MSG.STATUS]: (message) => status(message.tabId),
  [MSG.PAIR]: onPair,
};

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = HANDLERS[message?.type];
  if (!handler || sender.id !== ext.runtime.id) return false;
  handler(message, sender).then(sendResponse, (err) => sendResponse({ ok: false, reason: REASON.REJECTED, message: String(err?.message ?? err) }));
  return true;
});

/** Run the content script on the extra sites the user granted or the administrator listed. */
async function syncExtraSites() {
  const { values } = await loadSettings();
  const granted = [];
  for (const pattern of values.extraSites ?? []) {
    if (await ext.permissions.contains({ origins: [pattern] }).catch(() => false)) granted.push(pattern);
  }
  await ext.scripting.unregisterContentScripts({ ids: [EXTRA_SITES_SCRIPT] }).catch(() => {});
  if (granted.length) {
    await ext.scripting.registerContentScripts([{
      id: EXTRA_SITES_SCRIPT, matches: granted, js: ['content.js'], css: ['content.css'], runAt: 'document_idle',
    }]);
  }
}

async function broadcastSettings() {
  const tabs = await ext.tabs.query({});
  await Promise.all(tabs.map((t) => ext.tabs.sendMessage(t.id, { type: MSG.SETTINGS_CHANGED }).catch(() => {})));
  await Promise.all([...findingsByTab.keys()].map(refreshBadge));
}

ext.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed') managed = readManaged();
  cached = null;
  if (changes.serviceUrl || changes.token || changes.nativeHost) categoriesCache = null;
  broadcastSettings();
  if (changes.extraSites) syncExtraSites();
});
ext.permissions.onAdded?.addListener(syncExtraSites);
ext.permissions.onRemoved?.addListener(syncExtraSites);
ext.tabs.onRemoved.addListener((tabId) => {
  findingsByTab.delete(tabId);
  budget.forget(tabId);
});
ext.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name !== HEALTH_ALARM) return;
  const { values } = await loadSettings();
  // With a token, an authorised (and proven) call: the service counts it as this extension's last contact,
  // which `discreet status` reports to monitoring. Without one, health is all there is to ask.
  const reply = values.token ? await categories(values.serviceUrl, values.token) : await health(values.serviceUrl);
  await setReachable(reply.ok);
});
ext.alarms.create(HEALTH_ALARM, { periodInMinutes: 1 });
syncExtraSites();
loadSettings().then(({ values }) => values.token || pairNatively());
