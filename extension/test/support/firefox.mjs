/**
 * Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi, with the built extension installed,
 * every host name resolved to this machine (so the fixture server answers for LinkedIn and X), and an
 * HTTP log of every request the browser made.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { NATIVE_HOST } from '../../src/background/native.js';

export const GECKO_ID = 'discreet@discreet.example';

/**
 * Launch with `managed` as the extension's storage.managed (what an administrator pushes), written where
 * Firefox reads it for the user: ~/.mozilla/managed-storage/<id>.json under a HOME made for this run;
 * `nativeHost` (a program, see service.mjs nativeHost()) is registered as the native-messaging host.
 */
export async function launchFirefox({ extensionDir, managed, uuid, nativeHost }) {
  const dir = await mkdtemp(join(tmpdir(), 'discreet-firefox-'));
  const home = join(dir, 'home');
  await mkdir(join(home, '.mozilla', 'managed-storage'), { recursive: true });
  if (nativeHost) {
    // Where Firefox looks for a user's native-messaging hosts; the installer writes the same shape system-wide.
    await mkdir(join(home, '.mozilla', 'native-messaging-hosts'), { recursive: true });
    await writeFile(join(home, '.mozilla', 'native-messaging-hosts', `${NATIVE_HOST}.json`), JSON.stringify({
      name: NATIVE_HOST, description: 'Discreet (test)', path: nativeHost, type: 'stdio', allowed_extensions: [GECKO_ID],
    }));
  }
  await writeFile(join(home, '.mozilla', 'managed-storage', `${GECKO_ID}.json`),
    JSON.stringify({ name: GECKO_ID, description: 'Discreet test settings', type: 'storage', data: managed }));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    acceptInsecureCerts: true,
    // MOZ_REMOTE_SETTINGS_DEVTOOLS lets release builds honour services.settings.server (below).
    env: { ...process.env, HOME: home, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1', MOZ_LOG: 'timestamp,nsHttp:3,nsSocketTransport:4', MOZ_LOG_FILE: join(dir, 'http.log') },
    extraPrefsFirefox: {
      'network.dns.forceResolve': '127.0.0.1',
      // Firefox's own remote-settings polling, pointed nowhere (as geckodriver does).
      'services.settings.server': 'data:,#remote-settings-dummy/v1',
      // The moz-extension:// origin is random per install; fix it so the service can be told which it is.
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
    },
  });
  await browser.installExtension(extensionDir);
  return {
    browser,
    logDir: dir,
    /** Close the browser (if still open) and remove its HOME and logs. */
    dispose: async () => {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What Firefox did on the network, from its HTTP log (MOZ_LOG writes one file per process): the
 * host:port of every socket it opened, every address it connected to, and every URL it requested.
 */
export async function firefoxTraffic(logDir) {
  const sockets = new Set();
  const addresses = new Set();
  const urls = new Set();
  for (const name of await readdir(logDir)) {
    if (!name.startsWith('http.log')) continue;
    const text = await readFile(join(logDir, name), 'utf8');
    for (const m of text.matchAll(/nsSocketTransport::Init \[this=\w+ host=(\S+?) origin=/g)) sockets.add(m[1]);
    for (const m of text.matchAll(/trying address: (\S+)/g)) addresses.add(m[1]);
    for (const m of text.matchAll(/ uri=(\S+)/g)) urls.add(m[1]);
  }
  return { sockets, addresses, urls };
}
