/**
 * ::highlight() rules only apply in the tree that holds the style sheet: the document gets content.css
 * from the manifest, and every shadow root that holds an editor adopts the same rules once.
 */
import { HIGHLIGHT_CSS } from './css.js';
import { isShadowRoot } from './composed.js';

const adopted = new WeakSet();

/** Put the highlight rules in scope for `el`'s tree (no-op in the document, or if already done). */
export function adoptHighlightStyles(el) {
  const root = el.getRootNode();
  if (!isShadowRoot(root) || adopted.has(root)) return;
  adopted.add(root);
  const win = el.ownerDocument.defaultView;
  try {
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(HIGHLIGHT_CSS);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    // Where a content script may not adopt a sheet into the page's tree, a <style> element does the same.
    const style = el.ownerDocument.createElement('style');
    style.textContent = HIGHLIGHT_CSS;
    root.append(style);
  }
}
