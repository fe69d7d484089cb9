/** Page-side helpers shared by the Chromium (Playwright) and Firefox (Puppeteer) suites. */

/** Poll `read` until `check(value)` holds; fail with the last value after `timeout` ms. */
export async function eventually(read, check, { timeout = 15_000, interval = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** In the page: every Discreet highlight as {name, text}, in document order. */
export function readHighlights() {
  const out = [];
  for (const [name, highlight] of CSS.highlights) {
    if (!name.startsWith('discreet-')) continue;
    for (const range of highlight) out.push({ name, text: range.toString(), range });
  }
  out.sort((a, b) => a.range.compareBoundaryPoints(Range.START_TO_START, b.range));
  return out.map(({ name, text }) => ({ name, text }));
}

/** In the page: the viewport centre of the highlighted range whose text is `text`. */
export function highlightCenter(text) {
  for (const [name, highlight] of CSS.highlights) {
    if (!name.startsWith('discreet-')) continue;
    for (const range of highlight) {
      if (range.toString() === text) {
        const r = range.getClientRects()[0];
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
    }
  }
  return null;
}

/** In the page: the selection as (text before the caret in its node, offset), focus and scroll. */
export function caretState() {
  const sel = document.getSelection();
  return {
    node: sel.focusNode?.textContent ?? null,
    offset: sel.focusOffset,
    collapsed: sel.isCollapsed,
    active: document.activeElement?.className ?? document.activeElement?.tagName,
    scrollY: window.scrollY,
  };
}

/** In the page: the open card's text, or null. */
export function cardText() {
  return document.querySelector('[data-discreet-card]')?.innerText ?? null;
}

/** In the page: the guard dialog's text, or null. */
export function dialogText() {
  return document.querySelector('[data-discreet-dialog]')?.innerText ?? null;
}

/** A post naming a client, a patient in a care context, and a project code, over two paragraphs. */
export const POST = {
  lines: [
    'Great week 👋🏽 with the team at Halden Orthodontics.',
    'We helped patient Margaret Ellison at Pinecrest Care Home after her hip surgery (LK-ORT-204).',
  ],
  flagged: ['Halden Orthodontics', 'Margaret Ellison', 'Pinecrest Care Home', 'LK-ORT-204'],
};

/** Click into an editor and type `lines` with keyboard events, Enter between them (Playwright or Puppeteer page). */
export async function typeLines(page, selector, lines) {
  await page.click(selector);
  for (const [i, line] of lines.entries()) {
    if (i) await page.keyboard.press('Enter');
    await page.keyboard.type(line);
  }
}

/** Wait until the page's Discreet highlights cover exactly `expected`, in order; returns them. */
export function waitForHighlights(page, expected, what = `highlights ${expected.join(', ')}`) {
  return eventually(() => page.evaluate(readHighlights),
    (hs) => JSON.stringify(hs.map((h) => h.text)) === JSON.stringify(expected), { what });
}

/** Eight names a page script might try: the first four are on the test policy's client roster. */
export const CANDIDATES = ['Halden Orthodontics', 'Pinecrest Care Home', 'Marlow & Finch', 'Tidewater Freight',
  'Brightwater Dental', 'Oakfield Logistics', 'Summit Ridge Clinic', 'Northgate Bakery'];

/**
 * In the page, as any page script could: what does it learn about `names`? Which are in a highlight range
 * of CSS.highlights (the registry is shared with the page), which appear in the DOM it can reach (the
 * document and every open shadow root) more often than in the editor it wrote them to, and whether the
 * extension's UI root is readable.
 */
export function pageLearns(names) {
  const highlighted = new Set();
  for (const [, highlight] of CSS.highlights) for (const range of highlight) highlighted.add(range.toString());
  const texts = [];
  const walk = (root) => {
    texts.push(root.textContent ?? '');
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      if (el.tagName === 'TEXTAREA') texts.push(el.value);
    }
  };
  walk(document.documentElement);
  const all = texts.join('\n');
  const count = (name) => all.split(name).length - 1;
  return {
    highlighted: names.filter((n) => [...highlighted].some((t) => t.includes(n))),
    repeated: names.filter((n) => count(n) > 1),
    uiReadable: [...document.querySelectorAll('discreet-ui')].some((host) => host.shadowRoot !== null),
  };
}
