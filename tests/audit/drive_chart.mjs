/**
 * Opens the policy lab in Debian's Chromium (playwright-core from the extension's dev dependencies), waits
 * for the "What fires" chart and prints what it shows as JSON; the pytest test judges it.
 *
 * Usage: node drive_chart.mjs BASE_URL TOKEN SCREENSHOT.png
 */
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../extension/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const [link, screenshot] = process.argv.slice(2);  // the one-time link `discreet lab` prints
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
const errors = [];
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
await page.goto(link);
await page.waitForSelector('#audit[aria-busy="false"] .recognizer', { timeout: 30_000 });
const shown = await page.evaluate(() => ({
  summary: document.querySelector('#audit-summary').textContent,
  recognizers: [...document.querySelectorAll('#audit .recognizer')].map((g) => ({
    recognizer: g.dataset.recognizer,
    severity: g.dataset.severity,
    shown: Number(g.dataset.shown),
    overrides: Number(g.dataset.overrides),
    replaced: Number(g.dataset.replaced),
    barWidths: [...g.querySelectorAll('rect')].map((r) => Number(r.getAttribute('width'))),
    text: g.textContent,
  })),
  days: [...document.querySelectorAll('#audit .day')].map((g) => g.dataset.day),
}));
const panel = page.locator('section[aria-labelledby="audit-heading"]');
await panel.scrollIntoViewIfNeeded();
await panel.screenshot({ path: screenshot });
await browser.close();
console.log(JSON.stringify({ ...shown, errors }));
