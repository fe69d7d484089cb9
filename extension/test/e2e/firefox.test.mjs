// The core of the end-to-end suite in Debian's Firefox ESR (WebDriver BiDi via puppeteer-core): marks,
// Replace, the guard on every place people write, and no egress. The service URL and policy link come
// from storage.managed, as an administrator would push them; the token comes from the real native host,
// whose one-time code is the only thing that admits Firefox's random moz-extension:// origin.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from '../../scripts/build.mjs';
import { firefoxTraffic, launchFirefox } from '../support/firefox.mjs';
import { HOSTS, startFixtureServer } from '../support/fixture-server.mjs';
import { CANDIDATES, POST, eventually, pageLearns, highlightCenter, readHighlights, typeLines, waitForHighlights } from '../support/page.mjs';
import { startService } from '../support/service.mjs';
import { firefoxUi } from '../support/ui.mjs';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const POLICY_LINK = 'https://intranet.example/social-media-policy';
const uuid = randomUUID();

let fixtures;
let service;
let firefox;

const modelText = (page) => page.evaluate(() => window.fixture.text());
/** The extension's UI in `page` (a closed shadow root), read and clicked over WebDriver BiDi. */
const ui = (page) => firefoxUi(firefox.browser, page);

async function open(site, selector) {
  const page = await firefox.browser.newPage();
  await page.goto(`https://${HOSTS[site]}:${fixtures.port}/`);
  await page.waitForSelector(selector);
  return page;
}

async function hover(page, text) {
  const at = await page.evaluate(highlightCenter, text);
  await page.mouse.move(at.x, at.y);
  return eventually(() => ui(page).cardText(), Boolean, { what: 'card' });
}

async function undo(page) {
  await page.keyboard.down('Control');
  await page.keyboard.press('z');
  await page.keyboard.up('Control');
}

describe('Firefox with the real service and managed settings', () => {
  before(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const dist = await build();
    fixtures = await startFixtureServer();
    service = await startService(); // no --allow-origin: the origin is admitted by pairing
    firefox = await launchFirefox({
      extensionDir: dist,
      uuid,
      managed: { serviceUrl: service.url, policyLink: POLICY_LINK, allowPostAnyway: false },
      nativeHost: await service.nativeHost(),
    });
  });

  after(async () => {
    await firefox?.dispose();
    await service?.dispose();
    await fixtures?.close();
  });

  test('pairs itself through the native host: checks posts with no token or origin configured anywhere', async () => {
    const page = await open('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', ['Hello Tidewater Freight']);
    await eventually(() => page.evaluate(readHighlights), (hs) => hs.length === 1 && hs[0].text === 'Tidewater Freight',
      { what: 'marks once paired', timeout: 30_000 });
    await page.close();
  });

  test('Quill: exact marks after an emoji and across paragraphs; the card shows the managed policy link; Replace and undo', async () => {
    const page = await open('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', POST.lines);
    await waitForHighlights(page, POST.flagged);
    await new Promise((r) => setTimeout(r, 1100)); // Quill groups edits less than a second apart into one undo step
    const card = await hover(page, 'Halden Orthodontics');
    assert.match(card, /A confidential client/);
    assert.equal(await ui(page).run((root) => root.querySelector('[data-discreet-card] a').href), POLICY_LINK);
    await page.screenshot({ path: `${ARTIFACTS}firefox-linkedin-card.png` });
    await ui(page).click('[data-discreet-card] [data-action="replace"]');
    const replaced = `${POST.lines[0].replace('Halden Orthodontics', 'a client')}\n${POST.lines[1]}\n`;
    await eventually(() => modelText(page), (t) => t === replaced, { what: 'Quill model after Replace' });
    await waitForHighlights(page, POST.flagged.slice(1));
    await undo(page);
    await eventually(() => modelText(page), (t) => t === `${POST.lines.join('\n')}\n`, { what: 'undo' });
    await page.close();
  });

  test('Draft.js: marks and Replace into editorState', async () => {
    const page = await open('x', '[data-testid="tweetTextarea_0"]');
    await typeLines(page, '[data-testid="tweetTextarea_0"]', ['Shout-out 🎉 to Halden Ortho', '', 'and patient Margaret Ellison at Pinecrest after surgery']);
    await waitForHighlights(page, ['Halden Ortho', 'Margaret Ellison', 'Pinecrest']);
    assert.match(await hover(page, 'Margaret Ellison'), /Patient data/);
    await page.screenshot({ path: `${ARTIFACTS}firefox-x-card.png` });
    await ui(page).click('[data-discreet-card] [data-action="replace"]');
    await eventually(() => modelText(page), (t) => t === 'Shout-out 🎉 to Halden Ortho\n\nand patient [patient] at Pinecrest after surgery',
      { what: 'Draft model after Replace' });
    await page.keyboard.press('Backspace');
    await page.keyboard.type('!]');
    await eventually(() => modelText(page), (t) => t.includes('patient [patient!] at'), { what: 'caret after Replace' });
    await page.close();
  });

  test('guard: Post with patient data is stopped, and the managed policy removes "Post anyway"', async () => {
    const page = await open('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', ['Lovely to see patient Margaret Ellison leave hospital after surgery']);
    await waitForHighlights(page, ['Margaret Ellison']);
    await page.click('.share-actions__primary-action');
    const dialog = await eventually(() => ui(page).dialogText(), Boolean, { what: 'guard dialog' });
    assert.match(dialog, /Margaret Ellison/);
    assert.equal(await ui(page).run((root) => Boolean(root.querySelector('[data-discreet-dialog] [data-action="post"]'))), false);
    assert.deepEqual(await page.evaluate(() => window.fixture.posts), []);
    await ui(page).click('[data-discreet-dialog] [data-action="replace"]');
    await eventually(() => modelText(page), (t) => t === 'Lovely to see patient [patient] leave hospital after surgery\n', { what: 'Replace all' });
    await page.click('.share-actions__primary-action');
    await eventually(() => page.evaluate(() => window.fixture.posts), (p) => p.length === 1, { what: 'posted' });
    await page.close();
  });

  test('LinkedIn shell composer (Quill in nested shadow roots): marks, the guard on the shadow-tree Post button, and the roster probe', async () => {
    const page = await firefox.browser.newPage();
    await page.goto(`https://${HOSTS.linkedin}:${fixtures.port}/feed/`);
    await page.evaluate(() => window.fixture.shellReady);
    await page.click('#start-post');
    await eventually(() => page.evaluate(() => Boolean(window.fixture.editors.composer()?.hasFocus())), Boolean, { what: 'composer focused' });
    // A page script writes candidates with no keystroke: it learns nothing.
    await page.evaluate((t) => window.fixture.editors.composer().setText(t), CANDIDATES.join(', '));
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(await page.evaluate(pageLearns, CANDIDATES), { highlighted: [], repeated: [], uiReadable: false });
    await page.evaluate(() => window.fixture.editors.composer().setText(''));
    await page.keyboard.type('Lovely to see patient Margaret Ellison leave hospital, thanks Tidewater Freight');
    await waitForHighlights(page, ['Margaret Ellison', 'Tidewater Freight']);
    await page.screenshot({ path: `${ARTIFACTS}firefox-linkedin-shell.png` });
    await page.click('pierce/.share-actions__primary-action');
    assert.match(await eventually(() => ui(page).dialogText(), Boolean, { what: 'guard dialog' }), /Margaret Ellison/);
    assert.deepEqual(await page.evaluate(() => window.fixture.posts), []);
    await ui(page).click('[data-discreet-dialog] [data-action="replace"]');
    await eventually(() => modelText(page), (t) => t.includes('patient [patient] leave'), { what: 'Replace all in the shell composer' });
    await page.close();
  });

  test('LinkedIn comment (Quill) and messaging (contenteditable): marked, and the guard holds on Comment and Send', async () => {
    const page = await firefox.browser.newPage();
    await page.goto(`https://${HOSTS.linkedin}:${fixtures.port}/feed/`);
    await page.click('#comment-editor .ql-editor');
    await page.keyboard.type('Lovely to see patient Margaret Ellison leave hospital after surgery');
    await page.click('.msg-form__contenteditable');
    await page.keyboard.type('Say hi to Tidewater Freight');
    await waitForHighlights(page, ['Margaret Ellison', 'Tidewater Freight']);
    await page.click('.comments-comment-box__submit-button--cr');
    assert.match(await eventually(() => ui(page).dialogText(), Boolean, { what: 'guard on Comment' }), /Margaret Ellison/);
    assert.deepEqual(await page.evaluate(() => window.fixture.comments), []);
    await ui(page).click('[data-discreet-dialog] [data-action="edit"]');
    await page.click('.msg-form__send-button');
    assert.match(await eventually(() => ui(page).dialogText(), Boolean, { what: 'warn on Send' }), /Tidewater Freight/);
    await ui(page).click('[data-discreet-dialog] [data-action="post"]');
    await eventually(() => page.evaluate(() => window.fixture.messages), (m) => m.length === 1 && m[0] === 'Say hi to Tidewater Freight', { what: 'sent' });
    await page.close();
  });

  test('X: the reply box, the compose dialog (Draft.js in a modal) and DMs are marked and guarded', async () => {
    const page = await firefox.browser.newPage();
    await page.setViewport({ width: 1100, height: 760 }); // as in Chromium: the fixed dialog leaves the reply button clear
    await page.goto(`https://${HOSTS.x}:${fixtures.port}/compose/post`);
    const boxes = {
      compose: '[role="dialog"] [data-testid="tweetTextarea_0"]',
      reply: '[data-testid="inline_reply_offscreen"] [data-testid="tweetTextarea_0"]',
      dm: '[data-testid="dmComposerTextInput"]',
    };
    await page.waitForSelector(boxes.compose);
    await page.click(boxes.compose);
    await page.keyboard.type('Visited patient Margaret Ellison at the clinic after surgery');
    await page.click(boxes.reply);
    await page.keyboard.type('Our team moved Halden Orthodontics to new laptops');
    await page.click(boxes.dm);
    await page.keyboard.type('Ping me about LK-NET-118');
    await waitForHighlights(page, ['Halden Orthodontics', 'LK-NET-118', 'Margaret Ellison']);
    await page.click('[data-testid="tweetButton"]');
    assert.match(await eventually(() => ui(page).dialogText(), Boolean, { what: "guard on the dialog's Post" }), /Margaret Ellison/);
    await ui(page).click('[data-discreet-dialog] [data-action="replace"]');
    await eventually(() => page.evaluate(() => window.fixture.boxes.compose.text()), (t) => t.includes('patient [patient] at'), { what: 'Replace all in the dialog' });
    await page.click('[data-testid="tweetButton"]');
    await eventually(() => page.evaluate(() => window.fixture.sent.compose), (s) => s.length === 1, { what: 'posted from the dialog' });
    await page.click('[data-testid="tweetButtonInline"]');
    assert.match(await eventually(() => ui(page).dialogText(), Boolean, { what: 'warn on Reply' }), /Halden Orthodontics/);
    await ui(page).click('[data-discreet-dialog] [data-action="edit"]');
    assert.deepEqual(await page.evaluate(() => window.fixture.sent.reply), []);
    await page.click('[data-testid="dmComposerSendButton"]');
    assert.match(await eventually(() => ui(page).dialogText(), Boolean, { what: 'warn on DM Send' }), /LK-NET-118/);
    await ui(page).click('[data-discreet-dialog] [data-action="post"]');
    await eventually(() => page.evaluate(() => window.fixture.sent.dm), (s) => s.length === 1 && s[0] === 'Ping me about LK-NET-118', { what: 'DM sent' });
    await page.close();
  });

  test('nothing but the fixture server and the loopback service was contacted', async () => {
    await firefox.browser.close();
    const { sockets, addresses, urls } = await firefoxTraffic(firefox.logDir);
    const allowed = new Set([...Object.values(HOSTS).map((h) => `${h}:${fixtures.port}`), `127.0.0.1:${service.port}`]);
    assert.ok(sockets.has(`127.0.0.1:${service.port}`), 'the extension reached the service');
    assert.deepEqual([...sockets].filter((s) => !allowed.has(s)), [], 'sockets to other hosts');
    assert.deepEqual([...addresses].filter((a) => a !== '127.0.0.1'), [], 'connections off the machine');
    assert.deepEqual([...urls].filter((u) => !allowed.has(new URL(u).host)), [], 'requests to other hosts');
  });
});
