/**
 * The extension's own UI layer: one closed shadow root on a host at the end of <html>. The card, the
 * guard's dialog, the textarea mirror and the "not checked" notice repeat flagged text or reveal that
 * something was flagged, so they live where the page's scripts cannot read them (a closed root is not
 * reachable from the page: no shadowRoot property, not in composedPath, not matched by selectors).
 */
import { UI_CSS } from './css.js';

const roots = new WeakMap(); // Document -> {host, root}

/** The closed root for `doc`, (re)created if the page removed its host. */
export function uiRoot(doc) {
  let entry = roots.get(doc);
  if (!entry?.host.isConnected) {
    if (!entry) {
      const host = doc.createElement('discreet-ui');
      host.setAttribute('style', 'all: initial !important; position: fixed !important; inset: 0 auto auto 0 !important; width: 0 !important; height: 0 !important; z-index: 2147483647 !important; display: block !important;');
      const root = host.attachShadow({ mode: 'closed' });
      const style = doc.createElement('style');
      style.textContent = UI_CSS;
      root.append(style);
      entry = { host, root };
      roots.set(doc, entry);
    }
    doc.documentElement.append(entry.host);
  }
  return entry.root;
}

/** Whether a viewport point is over the extension's own UI. */
export function isOverUi(doc, x, y) {
  const entry = roots.get(doc);
  if (!entry?.host.isConnected) return false;
  const el = entry.root.elementFromPoint(x, y);
  return Boolean(el && el !== entry.host && entry.root.contains(el));
}
