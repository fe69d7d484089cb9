// End to end in Debian's Chromium with the real `discreet serve` and the real `discreet native-host`
// registered for the extension (as the installer does): the extension pairs itself with no code, and
// when the service stops and another program takes its port, that program gets no token and no text;
// once the service is back on the port, the extension proves it again and checks again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { build } from '../../scripts/build.mjs';
import { EXTENSION_ORIGIN, launchChromium } from '../support/chromium.mjs';
import { startFixtureServer } from '../support/fixture-server.mjs';
import { POST, eventually, readHighlights, typeLines, waitForHighlights } from '../support/page.mjs';
import { startService } from '../support/service.mjs';
import { startSquatter } from '../support/squatter.mjs';
import { chromiumUi } from '../support/ui.mjs';

let fixtures;
let service;
let browser;
let pages = 0;

async function openLinkedIn() {
  const page = await browser.context.newPage();
  pages += 1;
  await page.goto(`${fixtures.url('linkedin', '/')}?page=${pages}`);
  await page.waitForSelector('.ql-editor');
  return page;
}

describe('Chromium: pairing through the native host, and a squatter in the restart window', () => {
  before(async () => {
    const dist = await build();
    fixtures = await startFixtureServer();
    // No --allow-origin: the extension's origin is admitted only through the host's pairing code.
    service = await startService();
    browser = await launchChromium({ extensionDir: dist, fixturePort: fixtures.port, nativeHost: await service.nativeHost() });
  });

  after(async () => {
    await browser?.dispose();
    await service?.dispose();
    await fixtures?.close();
  });

  test('with the host installed the extension pairs itself: no code, the service address and token from the host', async () => {
    const stored = await eventually(() => browser.worker.evaluate(() => chrome.storage.local.get(['serviceUrl', 'token'])),
      (v) => Boolean(v.token), { what: 'token from the native host', timeout: 30_000 });
    assert.deepEqual(stored, { serviceUrl: service.url, token: await service.token() });
    const options = await browser.context.newPage();
    await options.goto(`${EXTENSION_ORIGIN}/options.html`);
    await eventually(() => options.textContent('#connection'), (t) => /^Connected to the Discreet service/.test(t), { what: 'connected' });
    await options.close();
    const page = await openLinkedIn();
    await typeLines(page, '.ql-editor', POST.lines);
    await waitForHighlights(page, POST.flagged);
    await page.close();
  });

  test('the service stops and a squatter takes its port: no token, no text, not checked; the service returns: checked again', async () => {
    const page = await openLinkedIn();
    const ui = chromiumUi(browser.context, page);
    await typeLines(page, '.ql-editor', ['Hello Tidewater Freight']);
    await waitForHighlights(page, ['Tidewater Freight']);
    await service.stop();
    const squatter = await startSquatter(service.port, 'wrong');
    try {
      await page.keyboard.type(' and Halden Orthodontics');
      await eventually(() => ui.statusText(), (t) => t[0] === 'Not checked: the program at the service address is not Discreet', { what: 'notice' });
      assert.deepEqual(await page.evaluate(readHighlights), []);
    } finally {
      await squatter.close();
    }
    const raw = squatter.raw();
    assert.ok(squatter.requests.some((r) => r.path === '/v1/hello'));
    assert.deepEqual(squatter.requests.filter((r) => r.path !== '/v1/hello' && r.path !== '/v1/health'), []);
    assert.ok(!raw.includes(await service.token()), 'no token bytes');
    assert.ok(!raw.includes('Tidewater') && !raw.includes('Halden'), 'no post text');
    await service.restart();
    await page.keyboard.type('.');
    await waitForHighlights(page, ['Tidewater Freight', 'Halden Orthodontics']);
    assert.deepEqual(await ui.statusText(), []);
    await page.close();
  });
});
