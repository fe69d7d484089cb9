/**
 * Debian's Chromium driven by playwright-core, with the built extension loaded unpacked, the fixture
 * host names mapped to the fixture server, every other name unresolvable, and a net log of every request.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { HOSTS } from './fixture-server.mjs';

export const EXTENSION_ID = (await readFile(new URL('../../EXTENSION_ID', import.meta.url), 'utf8')).trim();
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

export async function launchChromium({ extensionDir, fixturePort }) {
  const profile = await mkdtemp(join(tmpdir(), 'discreet-chromium-'));
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
    /** Set the extension's user settings (as the options page would). */
    setSettings: (values) => worker.evaluate((v) => chrome.storage.local.set(v), values),
    /** The toolbar badge of the tab showing `page`. */
    badge: async (page) => {
      const url = page.url();
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

/**
 * Every host the browser tried to reach, from its net log (written when the browser closes): request
 * URLs, sockets and DNS lookups alike.
 */
export async function contactedHosts(netLogPath) {
  const log = JSON.parse(await readFile(netLogPath, 'utf8'));
  const hosts = new Set();
  const add = (value) => {
    if (typeof value !== 'string') return;
    const m = value.match(/^(?:https?|wss?|ftp):\/\/(\[[^\]]+\]|[^/:?#]+)/i);
    if (m) hosts.add(m[1].toLowerCase());
  };
  for (const event of log.events ?? []) {
    const p = event.params;
    if (!p) continue;
    add(p.url);
    add(p.original_url);
    add(p.location);
    if (typeof p.host === 'string') hosts.add(p.host.replace(/:\d+$/, '').toLowerCase());
    if (typeof p.host_port === 'string') hosts.add(p.host_port.replace(/:\d+$/, '').toLowerCase());
  }
  return hosts;
}
