// Keystroke-to-highlight latency of the extension, end to end: real Chromium, the built extension, the
// real `discreet serve`, and the LinkedIn-like Quill fixture holding a 1,500-character post. Each round
// the last keystroke completes a client's name; the time runs from that keydown to the first animation
// frame after the name is in CSS.highlights (i.e. painted), so it includes the 150 ms typing pause.
// Usage: node bench/bench_extension_latency.mjs [rounds]   (after `cd extension && npm ci`)
import { build } from '../extension/scripts/build.mjs';
import { EXTENSION_ORIGIN, launchChromium } from '../extension/test/support/chromium.mjs';
import { startFixtureServer } from '../extension/test/support/fixture-server.mjs';
import { startService } from '../extension/test/support/service.mjs';

const ROUNDS = Number(process.argv[2] ?? 30);
const BAR_MS = 200; // issue 10: last keystroke to highlight p50 ≤ 200 ms
const TARGET = 'Tidewater Freight';

const PARAGRAPHS = [
  'Big thanks to everyone who joined our spring networking breakfast. 🌱 We talked about backups, patching and why the boring basics still matter most for small practices.',
  'Our team spent the quarter moving Halden Orthodontics onto new laptops and a tidier Wi-Fi setup, and the feedback from their front desk has been lovely to read.',
  'Next month we start LK-NET-118, a refresh of the network at one of our accountancy clients. If you enjoy structured cabling and early starts, we are hiring two engineers.',
  'A reminder for every practice manager reading this: test your restores, not just your backups. A backup you have never restored is only a hope with a schedule attached.',
  'Finally, congratulations to Marlow & Finch on their anniversary, and thank you to the logistics folks who keep inviting us back to talk about security on the warehouse floor.',
];

/** A 1,499-character post whose last word lacks its final letter; the measured keystroke makes it 1,500. */
function composePost() {
  const tail = `\nThis week we also visited ${TARGET.slice(0, -1)}`;
  let body = '';
  for (let i = 0; body.length < 1500; i++) body += `${PARAGRAPHS[i % PARAGRAPHS.length]}\n`;
  return body.slice(0, 1499 - tail.length).trimEnd().padEnd(1499 - tail.length, '.') + tail;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const base = composePost();
  const dist = await build();
  const fixtures = await startFixtureServer();
  const service = await startService({ allowOrigins: [EXTENSION_ORIGIN] });
  const browser = await launchChromium({ extensionDir: dist, fixturePort: fixtures.port });
  try {
    await browser.setSettings({ serviceUrl: service.url, token: await service.token() });
    const page = await browser.context.newPage();
    await page.goto(fixtures.url('linkedin'));
    await page.waitForSelector('.ql-editor');
    await page.evaluate((target) => {
      const hasTarget = () => {
        for (const [name, h] of CSS.highlights) {
          if (name.startsWith('discreet-')) for (const r of h) if (r.toString() === target) return true;
        }
        return false;
      };
      window.bench = {
        /** Resolves with ms from the next keydown to the frame after `target` is highlighted. */
        /** ... or with null if it is not highlighted within 5 s. */
        arm: () => new Promise((resolve) => {
          document.addEventListener('keydown', () => {
            const t0 = performance.now();
            const poll = () => {
              if (hasTarget()) requestAnimationFrame(() => resolve(performance.now() - t0));
              else if (performance.now() - t0 > 5000) resolve(null);
              else setTimeout(poll, 1);
            };
            poll();
          }, { once: true, capture: true });
        }),
        hasTarget,
      };
    }, TARGET);
    const times = [];
    for (let round = 0; round <= ROUNDS; round++) {
      await page.evaluate((text) => window.fixture.setText(text), base);
      await page.focus('.ql-editor');
      await page.keyboard.press('Control+End');
      await page.waitForTimeout(400); // let the scan of the reset text settle
      if (await page.evaluate(() => window.bench.hasTarget())) throw new Error('target highlighted before the keystroke');
      await page.evaluate(() => { window.bench.pending = window.bench.arm(); }); // listening before the key goes
      await page.keyboard.type(TARGET.at(-1));
      const ms = await page.evaluate(() => window.bench.pending);
      if (ms === null) throw new Error(`round ${round}: ${TARGET} was not highlighted within 5 s`);
      if (round > 0) times.push(ms); // round 0 warms the service's caches and spaCy
    }
    times.sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    console.log(`post length: ${base.length + 1} characters, rounds: ${times.length}`);
    console.log(`keystroke → highlight painted: p50 ${p50.toFixed(1)} ms, p90 ${percentile(times, 90).toFixed(1)} ms, `
      + `min ${times[0].toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms (includes the 150 ms typing pause)`);
    console.log(`bar: p50 ≤ ${BAR_MS} ms → ${p50 <= BAR_MS ? 'met' : 'NOT met'} (p50 / bar = ${(p50 / BAR_MS).toFixed(2)})`);
    process.exitCode = p50 <= BAR_MS ? 0 : 1;
  } catch (err) {
    console.error(err);
    process.exitCode = 2;
  } finally {
    await browser.dispose().catch(() => {});
    await service.dispose();
    await fixtures.close();
  }
}

await main();
