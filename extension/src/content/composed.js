/**
 * The composed tree: LinkedIn's shell renders its composer inside open shadow roots, nested at any depth.
 * Events are retargeted at each shadow boundary and parentElement / contains / getSelection stop at a
 * host, so everything that must see inside (discovery, the guard, caret, scroll) goes through these.
 */
const ELEMENT_NODE = 1;
const FRAGMENT_NODE = 11;

/** True for an open shadow root (a document fragment with a host). */
export function isShadowRoot(node) {
  return node?.nodeType === FRAGMENT_NODE && Boolean(node.host);
}

/** Elements the event passed through, innermost first, including those inside open shadow roots. */
export function pathElements(event) {
  return event.composedPath().filter((n) => n?.nodeType === ELEMENT_NODE);
}

/** The innermost element an event happened on (event.target is only the outermost shadow host). */
export function eventTarget(event) {
  return pathElements(event)[0] ?? null;
}

/** The open shadow roots an event passed through. */
export function pathShadowRoots(event) {
  return event.composedPath().filter(isShadowRoot);
}

/** An element's parent in the composed tree: its parent element, or its shadow root's host. */
export function composedParent(el) {
  return el.parentElement ?? el.getRootNode().host ?? null;
}

/** Whether `node` is `ancestor` or lies under it, across shadow boundaries. */
export function composedContains(ancestor, node) {
  for (let el = node?.nodeType === ELEMENT_NODE ? node : node?.parentElement; el; el = composedParent(el)) {
    if (el === ancestor) return true;
  }
  return false;
}

/** Every open shadow root in the subtree of `node`, nested ones included. */
export function shadowRootsUnder(node) {
  const out = [];
  const visit = (root) => {
    const elements = root.nodeType === ELEMENT_NODE ? [root, ...root.querySelectorAll('*')] : root.querySelectorAll('*');
    for (const el of elements) {
      if (el.shadowRoot) {
        out.push(el.shadowRoot);
        visit(el.shadowRoot);
      }
    }
  };
  visit(node);
  return out;
}

/** The shadow roots between `el` and the document, innermost first. */
export function enclosingShadowRoots(el) {
  const out = [];
  for (let root = el.getRootNode(); isShadowRoot(root); root = root.host.getRootNode()) out.push(root);
  return out;
}

/**
 * The selection's first range as seen from inside `root`'s tree (a StaticRange or Range), or null when
 * the selection is elsewhere. document.getSelection() alone reports a shadow host, not the text node.
 */
export function selectionRangeIn(root) {
  const sel = root.ownerDocument.getSelection();
  if (!sel || !sel.rangeCount) return null;
  const scopes = enclosingShadowRoots(root);
  let range;
  if (!scopes.length) range = sel.getRangeAt(0);
  else if (sel.getComposedRanges) [range] = sel.getComposedRanges({ shadowRoots: scopes });
  else range = scopes[0].getSelection?.()?.getRangeAt(0);
  return range && root.contains(range.startContainer) && root.contains(range.endContainer) ? range : null;
}

/**
 * Call `fn` whenever anything scrolls that can move `el`: the page, or a scroller inside one of its
 * shadow trees (scroll events do not leave a shadow root). Returns a function that stops listening.
 */
export function onScrollAround(el, fn) {
  const targets = [el.ownerDocument, ...enclosingShadowRoots(el)];
  for (const t of targets) t.addEventListener('scroll', fn, { capture: true, passive: true });
  const win = el.ownerDocument.defaultView;
  win.addEventListener('resize', fn, { passive: true });
  return () => {
    for (const t of targets) t.removeEventListener('scroll', fn, { capture: true });
    win.removeEventListener('resize', fn);
  };
}
