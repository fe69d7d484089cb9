// End to end in Debian's Chromium: the built extension, the real `discreet serve`, real Quill and
// Draft.js editors served under LinkedIn's and X's host names, and a net log of every request.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from '../../scripts/build.mjs';
import { EXTENSION_ID, EXTENSION_ORIGIN, isLoopback, launchChromium, netLogTraffic } from '../support/chromium.mjs';
import { HOSTS, startFixtureServer } from '../support/fixture-server.mjs';
import { POST, caretState, eventually, highlightCenter, readHighlights, typeLines, waitForHighlights } from '../support/page.mjs';
import { startService } from '../support/service.mjs';
import { chromiumUi } from '../support/ui.mjs';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const GREY = [128, 134, 139, 255];

let fixtures;
let service;
let browser;

const highlights = (page) => page.evaluate(readHighlights);
const uis = new WeakMap();
/** The extension's UI in `page` (a closed shadow root), read and clicked through CDP. */
const ui = (page) => {
  if (!uis.has(page)) uis.set(page, chromiumUi(browser.context, page));
  return uis.get(page);
};
const texts = (list) => list.map((h) => h.text);

let pages = 0;
async function openEditor(site, selector, path = '/') {
  const page = await browser.context.newPage();
  pages += 1;
  await page.goto(`${fixtures.url(site, path)}?page=${pages}`);
  await page.waitForSelector(selector);
  return page;
}

describe('Chromium with the real service', () => {
  before(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const dist = await build();
    fixtures = await startFixtureServer();
    service = await startService({ allowOrigins: [EXTENSION_ORIGIN] });
    browser = await launchChromium({ extensionDir: dist, fixturePort: fixtures.port });
    await browser.setSettings({ serviceUrl: service.url });
  });

  after(async () => {
    await browser?.dispose();
    await service?.dispose();
    await fixtures?.close();
  });

  test('the extension has the fixed ID from its manifest key', () => {
    assert.equal(new URL(browser.worker.url()).host, EXTENSION_ID);
  });

  test('pairing through the options page with a code from `discreet pair`', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${EXTENSION_ORIGIN}/options.html`);
    await eventually(() => page.textContent('#connection'), (t) => /pair this browser/.test(t), { what: 'unpaired notice' });
    await page.fill('#pair-code', 'WRONG-CODE');
    await page.click('#pair');
    await eventually(() => page.textContent('#pair-result'), (t) => t.startsWith('Not paired'), { what: 'rejection' });
    const code = await service.pairCode();
    await page.fill('#pair-code', code.toLowerCase());
    await page.click('#pair');
    await eventually(() => page.textContent('#pair-result'), (t) => t === 'Paired with the Discreet service.', { what: 'paired' });
    await eventually(() => page.textContent('#connection'), (t) => /^Connected/.test(t), { what: 'connected' });
    await page.close();
  });

  test('options page: refuses a service address off this machine; saves replacements per category', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${EXTENSION_ORIGIN}/options.html`);
    await page.waitForSelector('#replacement-client');
    await page.fill('#serviceUrl', 'http://discreet.example.com:8765');
    await page.click('#save');
    await eventually(() => page.textContent('#saved'), (t) => /^Not saved: the service address must be on this computer/.test(t), { what: 'refusal' });
    assert.equal(await browser.worker.evaluate(() => chrome.storage.local.get('serviceUrl').then((v) => v.serviceUrl)), service.url);
    await page.fill('#serviceUrl', service.url);
    // The categories come from the service's policy, its own "deal" included, with the policy's texts.
    assert.equal(await page.getAttribute('#replacement-client', 'placeholder'), 'a client');
    assert.equal(await page.getAttribute('#replacement-deal', 'placeholder'), 'a pending deal');
    assert.match(await page.textContent('label[for="replacement-deal"]'), /a confidential deal/);
    await page.fill('#replacement-client', 'a healthcare client');
    await page.fill('#replacement-deal', 'an upcoming deal');
    await page.click('#save');
    await eventually(() => page.textContent('#saved'), (t) => t === 'Saved.', { what: 'saved' });
    await page.close();

    const editor = await openEditor('linkedin', '.ql-editor');
    await typeLines(editor, '.ql-editor', ['Thanks Pinecrest']);
    await waitForHighlights(editor, ['Pinecrest']);
    const at = await editor.evaluate(highlightCenter, 'Pinecrest');
    await editor.mouse.move(at.x, at.y);
    assert.match(await eventually(() => ui(editor).cardText(), Boolean, { what: 'card' }), /Replace with “a healthcare client”/);
    await ui(editor).click('[data-discreet-card] [data-action="replace"]');
    await eventually(() => editor.evaluate(() => window.fixture.text()), (t) => t === 'Thanks a healthcare client\n', { what: 'configured replacement' });
    await editor.keyboard.type(', closing DEAL-2041 soon');
    await waitForHighlights(editor, ['DEAL-2041']);
    const deal = await editor.evaluate(highlightCenter, 'DEAL-2041');
    await editor.mouse.move(deal.x, deal.y);
    const dealCard = await eventually(() => ui(editor).cardText(), (t) => t?.includes('deal'), { what: 'deal card' });
    assert.match(dealCard, /A confidential deal/);
    assert.match(dealCard, /Replace with “an upcoming deal”/);
    assert.deepEqual(await browser.worker.evaluate(() => chrome.storage.local.get('replacements').then((v) => v.replacements)),
      { client: 'a healthcare client', deal: 'an upcoming deal' }, 'only the user\'s own overrides are stored');
    await editor.close();
    await browser.worker.evaluate(() => chrome.storage.local.remove('replacements'));
  });

  test('Quill (LinkedIn): marks exactly the flagged words, after an emoji and across paragraphs', async () => {
    const page = await openEditor('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', POST.lines);
    const hs = await waitForHighlights(page, POST.flagged);
    assert.deepEqual(hs.map((h) => h.name), ['discreet-warn-light', 'discreet-block-light', 'discreet-warn-light', 'discreet-warn-light']);
    assert.equal(await page.evaluate(() => document.querySelectorAll('.ql-editor [class*="discreet"], .ql-editor mark').length), 0,
      'the editor DOM is not touched');
    assert.deepEqual(await browser.badge(page), { text: '4', color: [197, 34, 31, 255] });
    await page.screenshot({ path: `${ARTIFACTS}linkedin-highlights.png` });
    await page.close();
  });

  test('Quill: the card opens on hover without moving focus, caret or scroll; Replace goes into Quill and undo restores', async () => {
    const page = await openEditor('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', POST.lines);
    await waitForHighlights(page, POST.flagged);
    await page.waitForTimeout(1100); // Quill groups edits less than a second apart into one undo step
    const before = await page.evaluate(caretState);
    const at = await page.evaluate(highlightCenter, 'Halden Orthodontics');
    await page.mouse.move(at.x, at.y);
    const card = await eventually(() => ui(page).cardText(), Boolean, { what: 'card' });
    assert.match(card, /A confidential client/);
    assert.match(card, /'Halden Orthodontics' is on the confidential client list/);
    assert.match(card, /Replace with “a client”/);
    assert.deepEqual(await page.evaluate(caretState), before, 'opening the card moved nothing');
    await page.locator('main').screenshot({ path: `${ARTIFACTS}linkedin-card.png` });

    await ui(page).click('[data-discreet-card] [data-action="replace"]');
    const replaced = `${POST.lines[0].replace('Halden Orthodontics', 'a client')}\n${POST.lines[1]}\n`;
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === replaced, { what: 'Quill model after Replace' });
    await waitForHighlights(page, POST.flagged.slice(1));

    await page.keyboard.press('Control+z');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === `${POST.lines.join('\n')}\n`, { what: 'undo' });
    await page.keyboard.press('Control+Shift+z');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === replaced, { what: 'redo' });

    await page.close();
  });

  test('Quill: keyboard focus on a marked span opens the card; Alt+Enter replaces; caret and Backspace still work', async () => {
    const page = await openEditor('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', ['Thanks Tidewater Freight team']);
    await waitForHighlights(page, ['Tidewater Freight']);
    for (let i = 0; i < ' Freight team'.length + 2; i++) await page.keyboard.press('ArrowLeft');
    const card = await eventually(() => ui(page).cardText(), Boolean, { what: 'keyboard card' });
    assert.match(card, /Alt\+Enter replace/);
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('ql-editor')), true);
    await page.keyboard.press('Alt+Enter');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === 'Thanks a client team\n', { what: 'replaced from keyboard' });
    // The caret sits right after the replacement, and Backspace and typing still edit Quill's model there.
    await page.keyboard.press('Backspace');
    await page.keyboard.type('t!');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === 'Thanks a client! team\n', { what: 'caret after Replace' });
    await page.close();
  });

  test('Quill: no scan while an IME composition is in progress; the committed text is marked', async () => {
    const page = await openEditor('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', ['Visiting ']);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'Pinecrest', selectionStart: 9, selectionEnd: 9 });
    await page.waitForTimeout(600);
    assert.match(await page.evaluate(() => document.querySelector('.ql-editor').textContent), /Pinecrest/, 'composing text is in the editor');
    assert.deepEqual(texts(await highlights(page)), [], 'nothing marked while composing');
    await cdp.send('Input.insertText', { text: 'Pinecrest' });
    await waitForHighlights(page, ['Pinecrest']);
    await page.close();
  });

  test('Quill: "Ignore here" hides that occurrence for this post, other findings stay', async () => {
    const page = await openEditor('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', ['Pinecrest and Tidewater Freight']);
    await waitForHighlights(page, ['Pinecrest', 'Tidewater Freight']);
    const at = await page.evaluate(highlightCenter, 'Pinecrest');
    await page.mouse.move(at.x, at.y);
    await eventually(() => ui(page).cardText(), Boolean, { what: 'card' });
    await ui(page).click('[data-discreet-card] [data-action="ignore"]');
    await waitForHighlights(page, ['Tidewater Freight']);
    await page.keyboard.type(' again');
    await page.waitForTimeout(600);
    assert.deepEqual(texts(await highlights(page)), ['Tidewater Freight']);
    await page.close();
  });

  test('Quill: the guard stops Post with patient data; Edit returns, Replace all fixes, then it posts', async () => {
    const page = await openEditor('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', POST.lines);
    await waitForHighlights(page, POST.flagged);
    await page.click('.share-actions__primary-action');
    const dialog = await eventually(() => ui(page).dialogText(), Boolean, { what: 'guard dialog' });
    assert.match(dialog, /Patient data: “Margaret Ellison”/);
    assert.doesNotMatch(dialog, /Halden/, 'only block-severity findings are listed');
    await page.screenshot({ path: `${ARTIFACTS}linkedin-guard.png` });
    assert.deepEqual(await page.evaluate(() => window.fixture.posts), []);
    await ui(page).click('[data-discreet-dialog] [data-action="edit"]');
    assert.equal(await ui(page).dialogText(), null);

    await page.keyboard.press('Control+Enter');
    await eventually(() => ui(page).dialogText(), Boolean, { what: 'guard on Ctrl+Enter' });
    assert.deepEqual(await page.evaluate(() => window.fixture.posts), []);
    await ui(page).click('[data-discreet-dialog] [data-action="replace"]');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t.includes('patient [patient] at'), { what: 'Replace all' });

    // What is left is warn-level: asked once, then "Post anyway" posts.
    await page.click('.share-actions__primary-action');
    const warn = await eventually(() => ui(page).dialogText(), Boolean, { what: 'warn dialog' });
    assert.match(warn, /Check this post/);
    await ui(page).click('[data-discreet-dialog] [data-action="post"]');
    const posts = await eventually(() => page.evaluate(() => window.fixture.posts), (p) => p.length === 1, { what: 'posted' });
    assert.match(posts[0], /patient \[patient\] at Pinecrest Care Home/);
    await page.close();
  });

  test('Draft.js (X): marks, Replace into editorState, undo, caret and Backspace', async () => {
    const page = await openEditor('x', '[data-testid="tweetTextarea_0"]');
    await typeLines(page, '[data-testid="tweetTextarea_0"]', ['Shout-out 🎉 to Halden Ortho', '', 'and patient Margaret Ellison at Pinecrest after surgery']);
    const marks = await waitForHighlights(page, ['Halden Ortho', 'Margaret Ellison', 'Pinecrest']);
    assert.deepEqual(marks.map((h) => h.name), ['discreet-warn-dark', 'discreet-block-dark', 'discreet-warn-dark'], 'dark theme colours on a dark page');
    await page.screenshot({ path: `${ARTIFACTS}x-highlights.png` });
    const at = await page.evaluate(highlightCenter, 'Margaret Ellison');
    await page.mouse.move(at.x, at.y);
    assert.match(await eventually(() => ui(page).cardText(), Boolean, { what: 'card' }), /Patient data/);
    await page.screenshot({ path: `${ARTIFACTS}x-card.png` });
    await ui(page).click('[data-discreet-card] [data-action="replace"]');
    const want = 'Shout-out 🎉 to Halden Ortho\n\nand patient [patient] at Pinecrest after surgery';
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === want, { what: 'Draft model after Replace' });
    await waitForHighlights(page, ['Halden Ortho', 'Pinecrest']);
    const typed = want.replace('[patient]', 'Margaret Ellison');
    await page.keyboard.press('Control+z');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === typed, { what: 'undo' });
    await page.keyboard.press('Control+y');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === want, { what: 'redo' });
    await page.keyboard.press('Backspace');
    await page.keyboard.type('!]');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t.includes('patient [patient!] at'), { what: 'caret after Replace' });
    await page.close();
  });

  test('Draft.js (X): the guard stops Ctrl+Enter and the Post button with patient data', async () => {
    const page = await openEditor('x', '[data-testid="tweetTextarea_0"]');
    await typeLines(page, '[data-testid="tweetTextarea_0"]', ['Visited patient Margaret Ellison at the clinic, recovering well after surgery']);
    await waitForHighlights(page, ['Margaret Ellison']);
    await page.keyboard.press('Control+Enter');
    assert.match(await eventually(() => ui(page).dialogText(), Boolean, { what: 'guard on Ctrl+Enter' }), /Margaret Ellison/);
    await ui(page).click('[data-discreet-dialog] [data-action="edit"]');
    assert.deepEqual(await page.evaluate(() => window.fixture.posts), []);
    await page.click('[data-testid="tweetButton"]');
    assert.match(await eventually(() => ui(page).dialogText(), Boolean, { what: 'guard' }), /Margaret Ellison/);
    assert.deepEqual(await page.evaluate(() => window.fixture.posts), []);
    await ui(page).click('[data-discreet-dialog] [data-action="replace"]');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === 'Visited patient [patient] at the clinic, recovering well after surgery',
      { what: 'Replace all in Draft' });
    await page.click('[data-testid="tweetButton"]');
    await eventually(() => page.evaluate(() => window.fixture.posts), (p) => p.length === 1, { what: 'posted' });
    await page.close();
  });

  test('textarea: the mirror overlay marks the words, ignores the pointer, and Replace edits the value', async () => {
    const page = await openEditor('linkedin', '#comment', '/textarea');
    await typeLines(page, '#comment', ['Congrats Marlow & Finch 🎉', 'on the LK-FIN-311 launch']);
    const marks = () => ui(page).mirrorMarks();
    await eventually(marks, (m) => JSON.stringify(m) === JSON.stringify(['Marlow & Finch', 'LK-FIN-311']), { what: 'mirror marks' });
    assert.equal(await ui(page).run((root) => getComputedStyle(root.querySelector('[data-discreet-mirror]')).pointerEvents), 'none');
    assert.equal(await page.evaluate(() => document.body.innerText.includes('Marlow')), false, 'the marks are not in the page\'s DOM');
    const box = await ui(page).box('[data-discreet-mirror] mark');
    await page.mouse.move(box.x, box.y);
    await eventually(() => ui(page).cardText(), Boolean, { what: 'card over textarea' });
    await page.screenshot({ path: `${ARTIFACTS}textarea-card.png` });
    await ui(page).click('[data-discreet-card] [data-action="replace"]');
    await eventually(() => page.evaluate(() => document.getElementById('comment').value), (v) => v.startsWith('Congrats a client 🎉'), { what: 'value' });
    await page.keyboard.press('Control+z');
    await eventually(() => page.evaluate(() => document.getElementById('comment').value), (v) => v.startsWith('Congrats Marlow & Finch'), { what: 'undo' });
    await page.close();
  });

  test('popup: connected, and the pause switch stops marking', async () => {
    const page = await openEditor('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', ['Hello Tidewater Freight']);
    await waitForHighlights(page, ['Tidewater Freight']);
    const popup = await browser.context.newPage();
    await popup.goto(`${EXTENSION_ORIGIN}/popup.html`);
    await eventually(() => popup.textContent('#state'), (t) => t === 'Connected', { what: 'connected' });
    await popup.click('#paused');
    await eventually(() => popup.textContent('#state'), (t) => t === 'Paused', { what: 'paused' });
    await waitForHighlights(page, [], 'highlights cleared when paused');
    await popup.click('#paused');
    await eventually(() => popup.textContent('#state'), (t) => t === 'Connected', { what: 'resumed' });
    await waitForHighlights(page, ['Tidewater Freight'], 'highlights back after resuming');
    await popup.close();
    await page.close();
  });

  test('a page on another origin cannot get scan results from the service', async () => {
    const page = await browser.context.newPage();
    await page.goto(`https://${HOSTS.other}/?service=${encodeURIComponent(service.url)}`);
    const attempts = await page.evaluate(() => window.attempts);
    assert.equal(attempts.length, 4);
    for (const a of attempts) {
      assert.ok(!a.read?.includes('findings'), `${a.name} must not read findings: ${JSON.stringify(a)}`);
      assert.ok(a.error || a.type === 'opaque' || a.status >= 400, `${a.name}: ${JSON.stringify(a)}`);
    }
    await page.close();
  });

  test('the badge turns grey when the service stops, and recovers when it is back', async () => {
    const page = await openEditor('linkedin', '.ql-editor');
    await typeLines(page, '.ql-editor', ['Hello Tidewater Freight']);
    await waitForHighlights(page, ['Tidewater Freight']);
    assert.equal((await browser.badge(page)).text, '1');
    await service.stop();
    await page.keyboard.type(' and Pinecrest');
    const grey = await eventually(() => browser.badge(page), (b) => JSON.stringify(b.color) === JSON.stringify(GREY), { what: 'grey badge' });
    assert.equal(grey.text, '!');
    // The compose box itself says the post is not being checked, on the editor's own corner.
    await eventually(() => ui(page).statusText(), (t) => t.length === 1 && t[0] === 'Not checked: the Discreet service is not answering', { what: 'notice' });
    const notice = await ui(page).box('[data-discreet-status]');
    const box = await page.locator('.ql-editor').boundingBox();
    assert.ok(notice.x > box.x && notice.x < box.x + box.width && notice.y > box.y && notice.y < box.y + box.height, 'the notice sits on the compose box');
    // Fail closed: with the service down, Post is stopped because the post cannot be checked.
    await browser.setSettings({ failMode: 'closed' });
    await page.waitForTimeout(200);
    await page.click('.share-actions__primary-action');
    assert.match(await eventually(() => ui(page).dialogText(), Boolean, { what: 'fail-closed dialog' }), /could not check this post/);
    assert.deepEqual(await page.evaluate(() => window.fixture.posts), []);
    await ui(page).click('[data-discreet-dialog] [data-action="edit"]');
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('ql-editor')), true, 'Edit returns to the editor');
    await browser.setSettings({ failMode: 'open' });
    await service.restart();
    await page.click('.ql-editor');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('.');
    await eventually(() => browser.badge(page), (b) => b.text === '2', { what: 'badge back' });
    await waitForHighlights(page, ['Tidewater Freight', 'Pinecrest']);
    assert.deepEqual(await ui(page).statusText(), [], 'checked again: no notice');
    await page.close();
  });

  test('nothing but the fixture server and the loopback service was contacted', async () => {
    await browser.context.close();
    const { tcp, udpSent, requests } = await netLogTraffic(browser.netLog);
    assert.ok(tcp.size > 0, 'the net log recorded connections');
    assert.deepEqual([...tcp].filter((a) => !isLoopback(a)), [], 'TCP connections off the machine');
    assert.deepEqual([...udpSent].filter((a) => !isLoopback(a)), [], 'UDP datagrams off the machine');
    const fixtureHosts = new Set(Object.values(HOSTS));
    const ours = new Set([EXTENSION_ORIGIN, ...[...fixtureHosts].map((h) => `https://${h}`)]);
    const allowedHost = (url) => fixtureHosts.has(new URL(url).hostname) || new URL(url).host === `127.0.0.1:${service.port}`;
    const fromUs = requests.filter((r) => ours.has(r.initiator) || allowedHost(r.url));
    assert.ok(fromUs.some((r) => r.initiator === EXTENSION_ORIGIN && r.url.startsWith(`${service.url}/v1/scan`)), 'the extension called the service');
    assert.deepEqual(fromUs.filter((r) => !allowedHost(r.url)).map((r) => r.url), [], 'requests from the pages or the extension elsewhere');
    assert.deepEqual(fixtures.requests.filter((r) => !fixtureHosts.has(r.host)), []);
  });
});
