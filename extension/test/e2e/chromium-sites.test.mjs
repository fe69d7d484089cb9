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
import { POST, eventually, highlightCenter, readHighlights, waitForHighlights } from '../support/page.mjs';
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
});
