/**
 * Start Debian's Chromium as a user would after the .deb is installed: a fresh profile and no
 * extension flags at all (Playwright's own --disable-extensions and friends are dropped). Print, as
 * JSON, whether the Discreet extension runs, the chrome.storage.managed it received, and the reply to
 * a scan it sends to the local service from its own background worker (with the managed token).
 * Run by test_extension_in_chromium.py inside namespaces where /usr/share, /etc/chromium and the
 * loopback network are the installed package's.
 * Usage: node chromium_extension.mjs PLAYWRIGHT_CORE_DIR EXTENSION_ID SCAN_TEXT
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [playwrightDir, extensionId, text] = process.argv.slice(2);
const { chromium } = await import(join(playwrightDir, 'index.mjs'));
const profile = await mkdtemp(join(tmpdir(), 'discreet-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: false, // --headless=new below runs extensions
  ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages', '--disable-default-apps'],
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const origin = `chrome-extension://${extensionId}/`;
  const worker = context.serviceWorkers().find((w) => w.url().startsWith(origin))
    ?? await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(origin), timeout: 30_000 });
  let managed = {};
  for (let i = 0; i < 50 && Object.keys(managed).length === 0; i += 1) { // policies load just after start
    managed = await worker.evaluate(() => chrome.storage.managed.get(null));
    if (Object.keys(managed).length === 0) await new Promise((r) => setTimeout(r, 200));
  }
  // An extension page asks the background worker to scan, as a content script does on LinkedIn.
  const page = await context.newPage();
  await page.goto(`${origin}popup.html`);
  const scan = await page.evaluate((t) => chrome.runtime.sendMessage({ type: 'discreet/scan', seq: 1, text: t, site: 'linkedin' }), text);
  process.stdout.write(JSON.stringify({ worker: worker.url(), managed, scan }));
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
}
