/**
 * The extension's UI (card, guard dialog, textarea mirror, "not checked" notice) lives in a closed shadow
 * root that page scripts cannot reach, so tests read and click it through the browser's automation
 * protocol (CDP in Chromium, WebDriver BiDi in Firefox), which sees closed roots as assistive tools do.
 * `run(fn, arg)` calls fn(root, arg) in the page with the closed root (or null); fn returns JSON.
 */

/** Chromium (Playwright): the host's closed shadow root via DOM.describeNode({pierce}). */
export function chromiumUi(context, page) {
  let cdp;
  return uiHelpers(page, async (fn, arg) => {
    cdp ??= await context.newCDPSession(page);
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'document.querySelector("discreet-ui")' });
    let objectId = null;
    if (result.objectId) {
      const { node } = await cdp.send('DOM.describeNode', { objectId: result.objectId, pierce: true, depth: 1 });
      const shadow = node.shadowRoots?.[0];
      if (shadow) objectId = (await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId })).object.objectId;
    }
    const call = objectId
      ? { objectId, functionDeclaration: `function (arg) { return JSON.stringify((${fn})(this, arg)); }` }
      : { objectId: result.objectId ?? (await cdp.send('Runtime.evaluate', { expression: 'document' })).result.objectId,
        functionDeclaration: `function (arg) { return JSON.stringify((${fn})(null, arg)); }` };
    const { result: out } = await cdp.send('Runtime.callFunctionOn', { ...call, arguments: [{ value: arg ?? null }], returnByValue: true });
    return out.value === undefined ? null : JSON.parse(out.value);
  });
}

/** Firefox (Puppeteer over WebDriver BiDi): serialise the host with includeShadowTree "all". */
export function firefoxUi(browser, page) {
  return uiHelpers(page, async (fn, arg) => {
    const context = page.mainFrame()._id;
    const target = { context };
    const host = await browser.connection.send('script.callFunction', {
      functionDeclaration: '() => document.querySelector("discreet-ui")',
      awaitPromise: false, target, serializationOptions: { includeShadowTree: 'all', maxDomDepth: 1 }, resultOwnership: 'none',
    });
    const shadow = host.result.result?.value?.shadowRoot;
    const args = [shadow ? { sharedId: shadow.sharedId } : { type: 'null' }, { type: 'string', value: JSON.stringify(arg ?? null) }];
    const out = await browser.connection.send('script.callFunction', {
      functionDeclaration: `(root, arg) => JSON.stringify((${fn})(root, JSON.parse(arg)))`, awaitPromise: false, target, arguments: args,
    });
    const value = out.result.result?.value;
    return value === undefined ? null : JSON.parse(value);
  });
}

function uiHelpers(page, run) {
  const box = (selector) => run((root, sel) => {
    const el = root?.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2, top: r.top, left: r.left, width: r.width, height: r.height };
  }, selector);
  return {
    run,
    box,
    text: (selector) => run((root, sel) => root?.querySelector(sel)?.innerText ?? null, selector),
    cardText: () => run((root) => root?.querySelector('[data-discreet-card]')?.innerText ?? null),
    dialogText: () => run((root) => root?.querySelector('[data-discreet-dialog]')?.innerText ?? null),
    statusText: () => run((root) => [...(root?.querySelectorAll('[data-discreet-status]') ?? [])].map((e) => e.innerText)),
    mirrorMarks: () => run((root) => [...(root?.querySelectorAll('[data-discreet-mirror] mark') ?? [])].map((m) => m.textContent)),
    /** Click an element of the UI where a user would: at its centre, with the mouse. */
    click: async (selector) => {
      const at = await box(selector);
      if (!at) throw new Error(`no ${selector} in the extension's UI`);
      await page.mouse.click(at.x, at.y);
    },
  };
}
