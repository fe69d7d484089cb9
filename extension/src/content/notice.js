/**
 * "Not checked", shown on the compose box itself (not only on the toolbar badge) whenever the service
 * did not answer for this editor: a person must never believe a post was checked when it was not.
 * It sits on the editor's bottom-right corner, in the extension's closed UI root, and follows scrolling.
 */
import { onScrollAround } from './composed.js';
import { h } from './dom.js';
import { uiRoot } from './ui.js';

const MESSAGES = {
  unreachable: 'Not checked: the Discreet service is not answering',
  unpaired: 'Not checked: this browser is not paired with Discreet',
  rejected: 'Not checked: the Discreet service refused the check',
  unproven: 'Not checked: the program at the service address is not Discreet',
  unchecked: 'Not checked',
};

/** The notice text for a session status, or null when the text is checked (or checking is paused). */
export function noticeFor(status) {
  return MESSAGES[status] ?? null;
}

export class StatusNotice {
  constructor(editor) {
    this.editor = editor;
    this.doc = editor.ownerDocument;
    this.el = null;
    this.unfollow = null;
  }

  update(status) {
    const text = noticeFor(status);
    if (!text) {
      this.hide();
      return;
    }
    if (!this.el) {
      this.el = h(this.doc, 'div', { className: 'discreet-status', role: 'status', 'data-discreet-status': '', 'data-state': 'unchecked' });
      uiRoot(this.doc).append(this.el);
      this.unfollow = onScrollAround(this.editor, () => this.place());
    }
    this.el.textContent = text;
    this.place();
  }

  place() {
    if (!this.el) return;
    const rect = this.editor.getBoundingClientRect();
    const box = this.el.getBoundingClientRect();
    const visible = rect.width > 0 && rect.bottom > 0 && rect.top < this.doc.defaultView.innerHeight;
    Object.assign(this.el.style, {
      display: visible ? '' : 'none',
      top: `${Math.max(0, rect.bottom - box.height - 4)}px`,
      left: `${Math.max(0, rect.right - box.width - 4)}px`,
    });
  }

  hide() {
    this.unfollow?.();
    this.unfollow = null;
    this.el?.remove();
    this.el = null;
  }
}
