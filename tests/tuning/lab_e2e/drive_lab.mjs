/**
 * Drives the policy lab in Debian's Chromium (playwright-core from the extension's dev dependencies) the
 * way an analyst would, and prints what the page showed as JSON; the pytest test judges it.
 *
 * Usage: node drive_lab.mjs CONFIG.json   (see test_lab_page.py for the keys)
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../../extension/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const config = JSON.parse(await readFile(process.argv[2], 'utf8'));
const origin = new URL(config.base).origin;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // Any host name but loopback fails to resolve, so a page that tried to call out would be seen failing.
  args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const requests = [];
const consoleErrors = [];
context.on('request', (r) => requests.push(r.url()));

async function settle(page, selector) {
  await page.waitForSelector(`${selector}[aria-busy="false"]`, { state: 'attached', timeout: 30_000 });
}

/** What the text area's results show: the marks and the explanation cards. */
async function results(page) {
  return page.evaluate(() => ({
    marks: [...document.querySelectorAll('#marked mark')].map((m) => ({ text: m.textContent, classes: m.className })),
    findings: [...document.querySelectorAll('#findings .decision')].map((d) => d.innerText),
    nearMisses: [...document.querySelectorAll('#near-misses .decision')].map((d) => d.innerText),
    policyStatus: document.querySelector('#policy-status').textContent,
  }));
}

async function typeText(page, text) {
  await page.fill('#text', text);
  await settle(page, '#results');
}

const observed = {};
const page = await context.newPage();
page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

// 1. Without a token the page asks for one; a wrong one is refused.
await page.goto(`${config.base}/lab`);
observed.tokenFormVisible = await page.isVisible('#token-form');
observed.labVisibleBeforeToken = await page.isVisible('#lab');
await page.waitForFunction(() => document.querySelector('#token-error').textContent !== ''); // first prompt
const promptBefore = await page.textContent('#token-error');
await page.fill('#token', 'not-the-token');
await page.click('#token-form button[type="submit"]');
await page.waitForFunction((before) => {
  const now = document.querySelector('#token-error').textContent;
  return now !== '' && now !== before;
}, promptBefore);
observed.wrongTokenError = await page.textContent('#token-error');

// 2. The right token connects.
await page.fill('#token', config.token);
await page.click('#token-form button[type="submit"]');
await page.waitForSelector('#lab:not([hidden])');
observed.connection = await page.textContent('#connection');
observed.loadedFingerprint = await page.textContent('#loaded-fingerprint');

// 3. Text against the loaded policy.
await typeText(page, config.text);
observed.loaded = await results(page);
await page.hover('#marked mark');
observed.activeCardAfterHover = await page.evaluate(() => document.querySelector('#findings .decision.active')?.innerText ?? null);
await page.focus('#marked mark >> nth=1');
observed.activeCardAfterFocus = await page.evaluate(() => document.querySelector('#findings .decision.active')?.innerText ?? null);

// 4. An edited copy: the page's YAML is changed, the loaded policy is not.
await page.check('input[name="policy"][value="edited"]');
const yaml = await page.inputValue('#policy-yaml');
await page.fill('#policy-yaml', yaml.replace(config.edit.find, config.edit.replace));
await settle(page, '#results');
observed.edited = await results(page);

// 5. A broken edit is reported with its line, and the page keeps working.
await page.fill('#policy-yaml', config.brokenYaml);
await settle(page, '#results');
observed.brokenPolicyStatus = await page.textContent('#policy-status');
await page.fill('#policy-yaml', yaml.replace(config.edit.find, config.edit.replace));
await settle(page, '#results');

// 6. A labelled corpus, evaluated with both policies.
await page.setInputFiles('#corpus-file', config.corpus);
await settle(page, '#eval');
observed.eval = await page.evaluate(() => ({
  status: document.querySelector('#eval-status').textContent,
  header: [...document.querySelectorAll('#eval-table thead th')].map((th) => th.textContent),
  rows: [...document.querySelectorAll('#eval-table tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
  changed: [...document.querySelectorAll('#changed-posts li')].map((li) => li.textContent),
}));
await page.hover('#marked mark');
await page.screenshot({ path: config.screenshot, fullPage: true });

// 7. Back to the loaded policy: the service still answers with it.
await page.check('input[name="policy"][value="loaded"]');
await settle(page, '#results');
observed.backToLoaded = await results(page);

// 8. The one-time link `discreet lab` opens: traded for a session kept in the tab, wiped from the address bar.
const second = await context.newPage();
await second.goto(config.link);
await second.waitForSelector('#lab:not([hidden])');
observed.fragment = {
  urlAfter: second.url(),
  stored: await second.evaluate(() => sessionStorage.length === 1 && Object.values(sessionStorage)[0].length > 0),
};

observed.foreignRequests = requests.filter((u) => new URL(u).origin !== origin);
observed.requestsWithToken = requests.filter((u) => u.includes(config.token) || u.includes(config.link.split('#link=')[1]));
observed.consoleErrors = consoleErrors;
await browser.close();
console.log(JSON.stringify(observed));
