/**
 * Print, as JSON, what Debian's Chromium hands the Discreet extension as chrome.storage.managed: the
 * settings Chromium read from /etc/chromium/policies/managed. Run by test_chromium_policy.py inside a
 * mount namespace in which /etc/chromium is the installed package's.
 * Usage: node chromium_managed_storage.mjs PLAYWRIGHT_CORE_DIR EXTENSION_DIR EXTENSION_ID
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [playwrightDir, extensionDir, extensionId] = process.argv.slice(2);
const { chromium } = await import(join(playwrightDir, 'index.mjs'));
const profile = await mkdtemp(join(tmpdir(), 'discreet-policy-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: false, // --headless=new below runs extensions
  ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
  args: [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND',
    `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`,
  ],
});
try {
  const origin = `chrome-extension://${extensionId}/`;
  const worker = context.serviceWorkers().find((w) => w.url().startsWith(origin))
    ?? await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(origin), timeout: 20_000 });
  let managed = {};
  for (let i = 0; i < 50 && Object.keys(managed).length === 0; i += 1) { // policies load just after start
    managed = await worker.evaluate(() => chrome.storage.managed.get(null));
    if (Object.keys(managed).length === 0) await new Promise((r) => setTimeout(r, 200));
  }
  process.stdout.write(JSON.stringify(managed));
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
}
