/**
 * Finds editors in the document and in every open shadow root, nested at any depth, as they come and
 * go. The document's MutationObserver does not see inside shadow trees, so each known root gets its own,
 * and roots attached later (or whose host was already in the page) are learnt from the composed path of
 * the user's events (focus, pointer, click, input), which runs through every open root it crosses.
 */
import { isShadowRoot, pathShadowRoots, shadowRootsUnder } from './composed.js';
import { findEditors } from './selectors.js';

export class EditorFinder {
  /** @param {Document} doc @param {() => void} onChange called (once per frame) when editors may have changed */
  constructor(doc, onChange) {
    this.doc = doc;
    this.onChange = onChange;
    this.roots = new Map(); // Document | ShadowRoot -> MutationObserver
    this.frame = 0;
  }

  start() {
    this.watch(this.doc);
    for (const root of shadowRootsUnder(this.doc.documentElement)) this.watch(root);
  }

  /** Observe one root (the document or an open shadow root); new subtrees may bring more roots. */
  watch(root) {
    if (this.roots.has(root)) return false;
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType === 1) for (const inner of shadowRootsUnder(node)) this.watch(inner);
        }
      }
      this.schedule();
    });
    observer.observe(root.nodeType === 9 ? root.documentElement : root, { childList: true, subtree: true });
    this.roots.set(root, observer);
    this.schedule();
    return true;
  }

  /** Learn the shadow roots an event crossed; true if any was new (the caller may attach at once). */
  learn(event) {
    let learnt = false;
    for (const root of pathShadowRoots(event)) learnt = this.watch(root) || learnt;
    return learnt;
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.onChange();
    });
  }

  /** Every editor in every live root. Roots whose host left the page are forgotten. */
  editors() {
    const out = [];
    for (const [root, observer] of this.roots) {
      if (isShadowRoot(root) && !root.host.isConnected) {
        observer.disconnect();
        this.roots.delete(root);
        continue;
      }
      out.push(...findEditors(root));
    }
    return out;
  }
}
