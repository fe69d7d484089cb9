// End to end in Debian's Chromium: a program squatting on the service's port (issue 12 §2) while the
// extension holds a token from an earlier pairing. Whether it answers /v1/hello with a wrong proof, not
// at all, or has no /v1/hello, it must receive no token bytes and no post text, and the compose box must
// say the post is not checked (and fail-closed stops the post).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { build } from '../../scripts/build.mjs';
import { EXTENSION_ORIGIN, launchChromium } from '../support/chromium.mjs';
import { startFixtureServer } from '../support/fixture-server.mjs';
import { POST, eventually, readHighlights, typeLines } from '../support/page.mjs';
import { freePort } from '../support/service.mjs';
import { startSquatter } from '../support/squatter.mjs';
import { chromiumUi } from '../support/ui.mjs';

const TOKEN = randomBytes(32).toString('base64url');
const GREY = [128, 134, 139, 255];
const NOT_DISCREET = 'Not checked: the program at the service address is not Discreet';
const NOT_ANSWERING = 'Not checked: the Discreet service is not answering';

let fixtures;
let squatter;
let browser;
let pages = 0;

async function openLinkedIn() {
  const page = await browser.context.newPage();
  pages += 1;
  await page.goto(`${fixtures.url('linkedin', '/')}?page=${pages}`);
  await page.waitForSelector('.ql-editor');
  return page;
}

/** The requests that ask nothing secret: the proof's hello, and the popup's health check. */
const CREDENTIAL_FREE = new Set(['POST /v1/hello', 'GET /v1/health']);

/** What the squatter got: only credential-free requests, and not one byte of the token or of the post. */
function assertLearnedNothing() {
  const raw = squatter.raw();
  assert.ok(squatter.requests.some((r) => r.path === '/v1/hello'), 'the extension did ask the port for its proof');
  assert.deepEqual(squatter.requests.filter((r) => !CREDENTIAL_FREE.has(`${r.method} ${r.path}`)), [], 'only hello and health');
  assert.ok(!raw.includes(TOKEN), 'no token bytes');
  assert.doesNotMatch(raw, /authorization/i);
  for (const word of [...POST.flagged, 'Great week', 'hip surgery']) assert.ok(!raw.includes(word), `no post text (${word})`);
}

describe('Chromium: a squatter on the service port learns nothing', () => {
  before(async () => {
    const dist = await build();
    fixtures = await startFixtureServer();
    squatter = await startSquatter(await freePort(), 'wrong');
    browser = await launchChromium({ extensionDir: dist, fixturePort: fixtures.port });
    await browser.setSettings({ serviceUrl: squatter.url, token: TOKEN });
  });

  after(async () => {
    await browser?.dispose();
    await squatter?.close();
    await fixtures?.close();
  });

  test('a wrong proof: not checked on the box, grey badge, no marks; the post goes out unchecked (fail-open)', async () => {
    const page = await openLinkedIn();
    const ui = chromiumUi(browser.context, page);
    await typeLines(page, '.ql-editor', POST.lines);
    await eventually(() => ui.statusText(), (t) => t.length === 1 && t[0] === NOT_DISCREET, { what: 'not-checked notice' });
    assert.deepEqual(JSON.parse(JSON.stringify((await browser.badge(page)).color)), GREY);
    assert.deepEqual(await page.evaluate(readHighlights), []);
    await page.click('.share-actions__primary-action');
    await eventually(() => page.evaluate(() => window.fixture.posts.length), (n) => n === 1, { what: 'posted unchecked' });
    const popup = await browser.context.newPage();
    await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
    await eventually(() => popup.textContent('#detail'), (t) => /could not prove it is the Discreet service/.test(t), { what: 'popup' });
    assert.equal(await popup.textContent('#state'), 'Not connected');
    await popup.close();
    await page.waitForTimeout(5500); // the event batch interval: the unchecked post's event must not go to it either
    assertLearnedNothing();
    await page.close();
  });

  test('no /v1/hello at all (a server that is not Discreet): not checked; fail-closed stops the post', async () => {
    squatter.state.mode = 'not-found';
    await browser.setSettings({ failMode: 'closed' });
    const page = await openLinkedIn();
    const ui = chromiumUi(browser.context, page);
    await typeLines(page, '.ql-editor', POST.lines);
    await eventually(() => ui.statusText(), (t) => t[0] === NOT_DISCREET, { what: 'not-checked notice' });
    await page.click('.share-actions__primary-action');
    assert.match(await eventually(() => ui.dialogText(), Boolean, { what: 'fail-closed dialog' }), /could not check this post/);
    assert.deepEqual(await page.evaluate(() => window.fixture.posts), []);
    await ui.click('[data-discreet-dialog] [data-action="edit"]');
    assertLearnedNothing();
    await browser.setSettings({ failMode: 'open' });
    await page.close();
  });

  test('a squatter that never answers /v1/hello: not checked (not answering), nothing sent after the hello', async () => {
    squatter.state.mode = 'silent';
    const page = await openLinkedIn();
    const ui = chromiumUi(browser.context, page);
    await typeLines(page, '.ql-editor', ['Thanks Halden Orthodontics']);
    await eventually(() => ui.statusText(), (t) => t[0] === NOT_ANSWERING, { what: 'not-answering notice' });
    assertLearnedNothing();
    await page.close();
  });
});
