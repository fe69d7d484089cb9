// End to end in Debian's Chromium on the places people write today: LinkedIn's 2026 shell composer (real
// Quill 2 in nested open shadow roots, created on "Start a post"), LinkedIn's comment and messaging boxes,
// and X's reply box, compose dialog and DMs; plus what a page script can and cannot learn.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from '../../scripts/build.mjs';
import { EXTENSION_ORIGIN, launchChromium } from '../support/chromium.mjs';
import { startFixtureServer } from '../support/fixture-server.mjs';
import { CANDIDATES, POST, eventually, highlightCenter, pageLearns, waitForHighlights } from '../support/page.mjs';
import { startService } from '../support/service.mjs';
import { chromiumUi } from '../support/ui.mjs';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const CARD_REPLACE = '[data-discreet-card] [data-action="replace"]';

let fixtures;
let service;
let browser;

let pages = 0;
async function open(site, path) {
  const page = await browser.context.newPage();
  pages += 1;
  await page.goto(`${fixtures.url(site, path)}?page=${pages}`);
  return page;
}

/** Open LinkedIn's shell composer as a user does: click "Start a post", wait for its editor to take focus. */
async function openComposer(page) {
  await page.evaluate(() => window.fixture.shellReady);
  await page.click('#start-post');
  await eventually(() => page.evaluate(() => Boolean(window.fixture.editors.composer()?.hasFocus())), Boolean, { what: 'composer focused' });
}

describe('Chromium: LinkedIn shell composer, comments, messaging; X reply, compose dialog, DMs', () => {
  before(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const dist = await build();
    fixtures = await startFixtureServer();
    service = await startService({ allowOrigins: [EXTENSION_ORIGIN] });
    browser = await launchChromium({ extensionDir: dist, fixturePort: fixtures.port });
    await browser.setSettings({ serviceUrl: service.url, token: await service.token() });
    // Warm the service's models and the extension's settings, so that "nothing marked after 1.5 s" in the
    // probes below means the gate held, not that the first scan was still on its way.
    await service.scan('Visited patient Margaret Ellison at Pinecrest after surgery');
    const page = await open('linkedin', '/');
    await page.click('.ql-editor');
    await page.keyboard.type('Hello Tidewater Freight');
    await waitForHighlights(page, ['Tidewater Freight']);
    await page.close();
  });

  after(async () => {
    await browser?.dispose();
    await service?.dispose();
    await fixtures?.close();
  });

  test('LinkedIn shell: the composer in nested shadow roots is marked; card above the modal follows its scroll; Replace and undo', async () => {
    const page = await open('linkedin', '/feed/');
    const ui = chromiumUi(browser.context, page);
    await openComposer(page);
    for (const [i, line] of POST.lines.entries()) {
      if (i) await page.keyboard.press('Enter');
      await page.keyboard.type(line);
    }
    const marks = await waitForHighlights(page, POST.flagged);
    assert.deepEqual(marks.map((h) => h.name), ['discreet-warn-light', 'discreet-block-light', 'discreet-warn-light', 'discreet-warn-light']);
    // The ::highlight() rules are in scope in the editor's own shadow root (styles do not cross into it).
    const rules = await page.evaluate(() => {
      const inner = document.getElementById('interop-outlet').shadowRoot.querySelector('share-rich-text-editor').shadowRoot;
      return inner.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.selectorText)).filter((t) => t?.startsWith('::highlight(discreet-'));
    });
    assert.ok(rules.includes('::highlight(discreet-block-light)'), JSON.stringify(rules));
    await page.waitForTimeout(1100); // Quill groups edits less than a second apart into one undo step

    const at = await page.evaluate(highlightCenter, 'Halden Orthodontics');
    await page.mouse.move(at.x, at.y);
    assert.match(await eventually(() => ui.cardText(), Boolean, { what: 'card' }), /A confidential client/);
    const card = await ui.box('[data-discreet-card]');
    const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.tagName, { x: card.x, y: card.y });
    assert.equal(onTop, 'DISCREET-UI', 'the card is painted above the fixed-position modal');
    await page.screenshot({ path: `${ARTIFACTS}linkedin-shell-card.png` });
    // The modal's own content scrolls (inside the shadow tree): the card moves with its span.
    await page.evaluate(() => { document.getElementById('interop-outlet').shadowRoot.querySelector('.share-creation-state__content').scrollTop = 30; });
    await eventually(() => ui.box('[data-discreet-card]'), (b) => b && Math.abs(b.top - (card.top - 30)) <= 2, { what: 'card following the scroll' });
    await page.evaluate(() => { document.getElementById('interop-outlet').shadowRoot.querySelector('.share-creation-state__content').scrollTop = 0; });
    await eventually(() => ui.box('[data-discreet-card]'), (b) => b && Math.abs(b.top - card.top) <= 2, { what: 'card back' });

    await ui.click(CARD_REPLACE);
    const replaced = `${POST.lines[0].replace('Halden Orthodontics', 'a client')}\n${POST.lines[1]}\n`;
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === replaced, { what: 'Quill model after Replace' });
    await waitForHighlights(page, POST.flagged.slice(1));
    await page.keyboard.press('Control+z');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t === `${POST.lines.join('\n')}\n`, { what: 'undo' });
    await page.close();
  });

  test('LinkedIn shell: keyboard caret inside the shadow root opens the card; the guard finds the Post button in the shadow tree', async () => {
    const page = await open('linkedin', '/feed/');
    const ui = chromiumUi(browser.context, page);
    await openComposer(page);
    await page.keyboard.type('Thanks Tidewater Freight team, and patient Margaret Ellison is recovering after surgery');
    await waitForHighlights(page, ['Tidewater Freight', 'Margaret Ellison']);
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 'Thanks Tide'.length; i++) await page.keyboard.press('ArrowRight');
    assert.match(await eventually(() => ui.cardText(), Boolean, { what: 'keyboard card' }), /Alt\+Enter replace/);
    await page.keyboard.press('Escape');

    await page.click('.share-actions__primary-action'); // inside the shell's shadow tree
    const dialog = await eventually(() => ui.dialogText(), Boolean, { what: 'guard dialog' });
    assert.match(dialog, /Patient data: “Margaret Ellison”/);
    assert.deepEqual(await page.evaluate(() => window.fixture.posts), []);
    await ui.click('[data-discreet-dialog] [data-action="replace"]');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t.includes('patient [patient] is'), { what: 'Replace all' });
    await page.click('.share-actions__primary-action');
    assert.match(await eventually(() => ui.dialogText(), Boolean, { what: 'warn dialog' }), /Check this post/);
    await ui.click('[data-discreet-dialog] [data-action="post"]');
    const posts = await eventually(() => page.evaluate(() => window.fixture.posts), (p) => p.length === 1, { what: 'posted' });
    assert.equal(posts[0], 'Thanks Tidewater Freight team, and patient [patient] is recovering after surgery');
    await page.close();
  });

  test('LinkedIn comment (Quill) and messaging (contenteditable) in one page: a rescan of every editor answers each; the guard holds on both', async () => {
    const page = await open('linkedin', '/feed/');
    const ui = chromiumUi(browser.context, page);
    await page.click('#comment-editor .ql-editor');
    await page.keyboard.type('Lovely to see patient Margaret Ellison leave hospital after surgery');
    await page.click('.msg-form__contenteditable');
    await page.keyboard.type('Say hi to Tidewater Freight');
    await waitForHighlights(page, ['Margaret Ellison', 'Tidewater Freight']);
    // Pause and resume: every editor in the frame is scanned again at once, and each must get its answer.
    await browser.setSettings({ paused: true });
    await waitForHighlights(page, [], 'cleared while paused');
    await browser.setSettings({ paused: false });
    await waitForHighlights(page, ['Margaret Ellison', 'Tidewater Freight'], 'both editors marked again after the rescan');

    await page.click('.comments-comment-box__submit-button--cr');
    assert.match(await eventually(() => ui.dialogText(), Boolean, { what: 'guard on Comment' }), /Margaret Ellison/);
    assert.deepEqual(await page.evaluate(() => window.fixture.comments), []);
    await ui.click('[data-discreet-dialog] [data-action="edit"]');
    await page.click('.msg-form__send-button');
    assert.match(await eventually(() => ui.dialogText(), Boolean, { what: 'warn on Send' }), /Tidewater Freight/);
    assert.deepEqual(await page.evaluate(() => window.fixture.messages), []);
    await ui.click('[data-discreet-dialog] [data-action="post"]');
    await eventually(() => page.evaluate(() => window.fixture.messages), (m) => m.length === 1 && m[0] === 'Say hi to Tidewater Freight', { what: 'sent' });
    await page.close();
  });

  /**
   * The roster probe, on every site: a page script writes eight candidate names through the editor's own
   * API (no keystroke), waits, and reads back CSS.highlights and every node it can reach. It must learn
   * nothing. Then the user types one character, and the roster names are marked: the gate was what held.
   */
  const PROBES = [
    { name: 'LinkedIn classic share box (Quill)', site: 'linkedin', path: '/', editor: '.ql-editor',
      write: (t) => window.fixture.setText(t) },
    { name: 'LinkedIn shell composer (Quill in nested shadow roots)', site: 'linkedin', path: '/feed/', open: openComposer,
      write: (t) => window.fixture.editors.composer().setText(t) },
    { name: 'LinkedIn comment box (Quill)', site: 'linkedin', path: '/feed/', editor: '#comment-editor .ql-editor',
      write: (t) => window.fixture.editors.comment().setText(t) },
    { name: 'LinkedIn messaging (contenteditable)', site: 'linkedin', path: '/feed/', editor: '.msg-form__contenteditable',
      write: (t) => { document.querySelector('.msg-form__contenteditable').innerText = t; } },
    { name: 'X compose box (Draft.js)', site: 'x', path: '/', editor: '[data-testid="tweetTextarea_0"]',
      write: (t) => window.fixture.setText(t) },
    { name: 'textarea comment box', site: 'linkedin', path: '/textarea', editor: '#comment', mirror: true,
      write: (t) => { const box = document.getElementById('comment'); box.value = t; box.dispatchEvent(new Event('input', { bubbles: true })); } },
  ];
  for (const probe of PROBES) {
    test(`a page script learns nothing of the roster: ${probe.name}`, async () => {
      const page = await open(probe.site, probe.path);
      const ui = chromiumUi(browser.context, page);
      if (probe.open) await probe.open(page);
      else {
        await page.click(probe.editor); // the user has the box focused: the extension is attached
      }
      await page.evaluate(`(${probe.write})(${JSON.stringify(CANDIDATES.join(', '))})`);
      await page.waitForTimeout(1500); // well past the typing pause and a scan
      assert.deepEqual(await page.evaluate(pageLearns, CANDIDATES), { highlighted: [], repeated: [], uiReadable: false });
      assert.deepEqual(await ui.mirrorMarks(), []);

      // The user types: now the whole text is theirs to check, and the roster names are marked.
      if (probe.open) await page.keyboard.press('Control+End');
      else {
        await page.click(probe.editor);
        await page.keyboard.press('Control+End');
      }
      await page.keyboard.type('.');
      const roster = CANDIDATES.slice(0, 4);
      if (probe.mirror) await eventually(() => ui.mirrorMarks(), (m) => JSON.stringify(m) === JSON.stringify(roster), { what: 'mirror marks after typing' });
      else await waitForHighlights(page, roster, 'marks after the user typed');
      await page.close();
    });
  }

  test('X: the reply box, the compose dialog (Draft.js in a modal) and DMs are marked and guarded', async () => {
    const page = await open('x', '/compose/post');
    const ui = chromiumUi(browser.context, page);
    const boxes = {
      compose: '[role="dialog"] [data-testid="tweetTextarea_0"]',
      reply: '[data-testid="inline_reply_offscreen"] [data-testid="tweetTextarea_0"]',
      dm: '[data-testid="dmComposerTextInput"]',
    };
    await page.click(boxes.compose);
    await page.keyboard.type('Visited patient Margaret Ellison at the clinic after surgery');
    await page.click(boxes.reply);
    await page.keyboard.type('Our team moved Halden Orthodontics to new laptops');
    await page.click(boxes.dm);
    await page.keyboard.type('Ping me about LK-NET-118');
    // Document order: the reply box (main) comes before the DM drawer and the dialog.
    await waitForHighlights(page, ['Halden Orthodontics', 'LK-NET-118', 'Margaret Ellison']);
    await page.screenshot({ path: `${ARTIFACTS}x-compose-reply-dm.png` });

    await page.click('[data-testid="tweetButton"]');
    assert.match(await eventually(() => ui.dialogText(), Boolean, { what: 'guard on the dialog\'s Post' }), /Margaret Ellison/);
    await ui.click('[data-discreet-dialog] [data-action="replace"]');
    await eventually(() => page.evaluate(() => window.fixture.boxes.compose.text()), (t) => t.includes('patient [patient] at'), { what: 'Replace all in the dialog' });
    await page.click('[data-testid="tweetButton"]');
    await eventually(() => page.evaluate(() => window.fixture.sent.compose), (s) => s.length === 1, { what: 'posted from the dialog' });

    await page.click('[data-testid="tweetButtonInline"]');
    assert.match(await eventually(() => ui.dialogText(), Boolean, { what: 'warn on Reply' }), /Halden Orthodontics/);
    await ui.click('[data-discreet-dialog] [data-action="edit"]');
    assert.deepEqual(await page.evaluate(() => window.fixture.sent.reply), []);

    await page.click('[data-testid="dmComposerSendButton"]');
    assert.match(await eventually(() => ui.dialogText(), Boolean, { what: 'warn on DM Send' }), /LK-NET-118/);
    await ui.click('[data-discreet-dialog] [data-action="post"]');
    await eventually(() => page.evaluate(() => window.fixture.sent.dm), (s) => s.length === 1 && s[0] === 'Ping me about LK-NET-118', { what: 'DM sent' });
    await page.close();
  });
});
