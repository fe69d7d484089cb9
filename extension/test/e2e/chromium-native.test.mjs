// End to end in Debian's Chromium with the real `discreet serve` and the real `discreet native-host`
// registered for the extension (as the installer does): the extension pairs itself with no code, and
// when the service stops and another program takes its port, that program gets no token and no text;
// once the service is back on the port, the extension proves it again and checks again. The person's
// actions reach the service's audit log (issue 13) once per post and finding, with no text.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from '../../scripts/build.mjs';
import { EXTENSION_ORIGIN, launchChromium } from '../support/chromium.mjs';
import { startFixtureServer } from '../support/fixture-server.mjs';
import { POST, eventually, highlightCenter, readHighlights, typeLines, waitForHighlights } from '../support/page.mjs';
import { startService } from '../support/service.mjs';
import { startSquatter } from '../support/squatter.mjs';
import { chromiumUi } from '../support/ui.mjs';

let fixtures;
let service;
let browser;
let auditDir;
let pages = 0;

/** The audit file's events from the extension, as [action, category, site] (ECS: event.action, rule.category). */
async function extensionEvents() {
  const text = await readFile(join(auditDir, 'events.jsonl'), 'utf8').catch(() => '');
  return { text, events: text.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((e) => e.event.provider === 'extension') };
}

async function openLinkedIn() {
  const page = await browser.context.newPage();
  pages += 1;
  await page.goto(`${fixtures.url('linkedin', '/')}?page=${pages}`);
  await page.waitForSelector('.ql-editor');
  return page;
}

describe('Chromium: pairing through the native host, a squatter in the restart window, audit events', () => {
  before(async () => {
    const dist = await build();
    fixtures = await startFixtureServer();
    auditDir = await mkdtemp(join(tmpdir(), 'discreet-audit-'));
    // No --allow-origin: the extension's origin is admitted only through the host's pairing code.
    service = await startService({ audit: [`file:${join(auditDir, 'events.jsonl')}`] });
    browser = await launchChromium({ extensionDir: dist, fixturePort: fixtures.port, nativeHost: await service.nativeHost() });
  });

  after(async () => {
    await browser?.dispose();
    await service?.dispose();
    await fixtures?.close();
    await rm(auditDir, { recursive: true, force: true });
  });

  test('with the host installed the extension pairs itself: no code, the service address and token from the host', async () => {
    const { nativeHost } = await eventually(() => browser.worker.evaluate(() => chrome.storage.local.get('nativeHost')),
      (v) => Boolean(v.nativeHost?.token), { what: 'token from the native host', timeout: 30_000 });
    assert.deepEqual(nativeHost, { serviceUrl: service.url, token: await service.token() });
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

  test("the person's actions reach the audit log once per post and finding, batched, and never any text", async () => {
    // On X, so that the other tests' LinkedIn events (sent in their own batches) are told apart by site.
    const box = '[data-testid="tweetTextarea_0"]';
    const page = await browser.context.newPage();
    await page.goto(`${fixtures.url('x', '/')}?page=${++pages}`);
    await page.waitForSelector(box);
    const ui = chromiumUi(browser.context, page);
    const lines = ['Shout-out to Halden Ortho', '', 'and patient Margaret Ellison at Pinecrest after surgery (LK-ORT-204)'];
    await typeLines(page, box, lines);
    await waitForHighlights(page, ['Halden Ortho', 'Margaret Ellison', 'Pinecrest', 'LK-ORT-204']);
    // A typing storm around findings already shown: many scans, no new events.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.type(' ok');
      await page.waitForTimeout(200);
    }
    const at = await page.evaluate(highlightCenter, 'Pinecrest');
    await page.mouse.move(at.x, at.y);
    await eventually(() => ui.cardText(), Boolean, { what: 'card' });
    await ui.click('[data-discreet-card] [data-action="ignore"]');
    await page.click('[data-testid="tweetButton"]');
    await eventually(() => ui.dialogText(), (t) => /Patient data/.test(t ?? ''), { what: 'block dialog' });
    await ui.click('[data-discreet-dialog] [data-action="replace"]');
    await eventually(() => page.evaluate(() => window.fixture.text()), (t) => t.includes('patient [patient] at'), { what: 'Replace all' });
    await page.click('[data-testid="tweetButton"]');
    await eventually(() => ui.dialogText(), (t) => /Check this post/.test(t ?? ''), { what: 'warn dialog' });
    await ui.click('[data-discreet-dialog] [data-action="post"]');
    await eventually(() => page.evaluate(() => window.fixture.posts.length), (n) => n === 1, { what: 'posted' });
    // Sent at post time, not after the batch interval.
    const onX = (events) => events.filter((e) => e.discreet.site === 'x');
    const { text, events } = await eventually(extensionEvents, ({ events: e }) => onX(e).some((x) => x.event.action === 'posted_anyway'),
      { what: 'posted_anyway in the audit file', timeout: 4000 });
    assert.deepEqual(onX(events).map((e) => `${e.event.action} ${e.rule?.category ?? '-'}`).sort(), [
      'finding_shown client', 'finding_shown client', 'finding_shown patient', 'finding_shown project',
      'ignored client',
      'post_blocked patient',
      'posted_anyway client', 'posted_anyway project',
      'replaced patient',
    ]);
    for (const word of ['Halden', 'Margaret', 'Ellison', 'Pinecrest', 'LK-ORT', 'Shout-out', 'surgery']) {
      assert.ok(!text.includes(word), `no text in the audit log (${word})`);
    }
    await page.close();
  });
});
