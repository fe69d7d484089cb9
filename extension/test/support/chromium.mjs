/**
 * Debian's Chromium driven by playwright-core, with the built extension loaded unpacked, the fixture
 * host names mapped to the fixture server, every other name unresolvable, and a net log of every request.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { NATIVE_HOST } from '../../src/background/native.js';
import { HOSTS } from './fixture-server.mjs';

export const EXTENSION_ID = (await readFile(new URL('../../EXTENSION_ID', import.meta.url), 'utf8')).trim();
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

/** Register `script` as the native-messaging host for our extension in this profile (as the installer does). */
async function registerNativeHost(userData, script) {
  const dir = join(userData, 'NativeMessagingHosts');
  await mkdir(dir, { recursive: true });
  const manifest = { name: NATIVE_HOST, description: 'Discreet (test)', path: script, type: 'stdio', allowed_origins: [`${EXTENSION_ORIGIN}/`] };
  await writeFile(join(dir, `${NATIVE_HOST}.json`), JSON.stringify(manifest));
}

/** `nativeHost`: a host program to register (see service.mjs nativeHost()); none means the host is not installed. */
export async function launchChromium({ extensionDir, fixturePort, nativeHost }) {
  const profile = await mkdtemp(join(tmpdir(), 'discreet-chromium-'));
  if (nativeHost) await registerNativeHost(join(profile, 'user-data'), nativeHost);
  const netLog = join(profile, 'netlog.json');
  const maps = Object.values(HOSTS).map((h) => `MAP ${h} 127.0.0.1:${fixturePort}`);
  const context = await chromium.launchPersistentContext(join(profile, 'user-data'), {
    executablePath: '/usr/bin/chromium',
    headless: false, // --headless=new below: the headless mode that runs extensions
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`,
      `--host-resolver-rules=${[...maps, 'MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1'].join(', ')}`,
      '--ignore-certificate-errors',
      `--log-net-log=${netLog}`, '--net-log-capture-mode=Default',
    ],
    viewport: { width: 1100, height: 760 },
  });
  const worker = context.serviceWorkers().find((w) => w.url().startsWith(EXTENSION_ORIGIN))
    ?? await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(EXTENSION_ORIGIN), timeout: 15_000 });
  return {
    context,
    worker,
    netLog,
    /** Close the browser (if still open) and remove its profile and net log. */
    dispose: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
    /** Set the extension's user settings (as the options page would). */
    setSettings: (values) => worker.evaluate((v) => chrome.storage.local.set(v), values),
    /** The toolbar badge of the tab showing `page`. */
    badge: async (page) => {
      const url = page.url(); // unique per test page (see openEditor)
      return worker.evaluate(async (u) => {
        const [tab] = await chrome.tabs.query({ url: u });
        const [text, color] = await Promise.all([
          chrome.action.getBadgeText({ tabId: tab.id }),
          chrome.action.getBadgeBackgroundColor({ tabId: tab.id }),
        ]);
        return { text, color };
      }, url);
    },
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]):\d+$/;
export const isLoopback = (address) => LOOPBACK.test(address);

/**
 * What the browser did on the network, from its net log (written when the browser closes): every TCP
 * connection attempt, every UDP destination a datagram was sent to, and every URL request with its
 * initiator (the page or extension origin that caused it).
 */
export async function netLogTraffic(netLogPath) {
  const log = JSON.parse(await readFile(netLogPath, 'utf8'));
  const types = Object.fromEntries(Object.entries(log.constants.logEventTypes).map(([k, v]) => [v, k]));
  const tcp = new Set();
  const udpSent = new Set();
  const udpPeer = new Map();
  const requests = [];
  for (const event of log.events ?? []) {
    const type = types[event.type];
    const p = event.params ?? {};
    if (type === 'TCP_CONNECT_ATTEMPT' && p.address) tcp.add(p.address);
    else if (type === 'UDP_CONNECT' && p.address) udpPeer.set(event.source.id, p.address);
    else if (type === 'UDP_BYTES_SENT') udpSent.add(p.address ?? udpPeer.get(event.source.id) ?? 'unknown');
    else if (type === 'URL_REQUEST_START_JOB' && p.url) requests.push({ url: p.url, initiator: p.initiator });
  }
  return { tcp, udpSent, requests };
}
