/**
 * The card shown on hover or keyboard focus of a marked span: what it is in plain words, why (the
 * service's explanation), the company policy link, and Replace / Ignore here. Opening it never moves
 * focus, the caret or the scroll position.
 */
import { onScrollAround } from './composed.js';
import { h, quietButton, sentenceCase } from './dom.js';
import { severityOf, themeOf } from './theme.js';
import { uiRoot } from './ui.js';

const SEVERITY_WORDS = { block: 'Stops posting', warn: 'Check before posting', info: 'For your information' };
const HIDE_DELAY_MS = 250;

export class Card {
  constructor(doc) {
    this.doc = doc;
    this.el = null;
    this.current = null; // {session, finding, keyboard}
    this.hideTimer = null;
    this.unfollow = null;
  }

  isOpenFor(session, finding) {
    return this.current?.session === session && this.current.finding.start === finding.start && this.current.finding.text === finding.text;
  }

  /**
   * @param {{session, finding, rect: DOMRect, anchor: () => DOMRect|null, keyboard?: boolean, replacement: string,
   *          policyLink: string, onReplace: Function, onIgnore: Function}} o
   */
  show(o) {
    clearTimeout(this.hideTimer);
    if (this.current && this.isOpenFor(o.session, o.finding) && this.current.keyboard === Boolean(o.keyboard)) return;
    this.hide();
    const { doc } = this;
    const f = o.finding;
    const severity = severityOf(f);
    this.current = { ...o, keyboard: Boolean(o.keyboard) };
    this.el = h(doc, 'div', {
      className: `discreet-card discreet-${severity}`,
      role: 'dialog',
      'aria-label': `Discreet: ${f.label}`,
      'data-theme': themeOf(o.session.root),
      'data-discreet-card': '',
      onMouseenter: () => clearTimeout(this.hideTimer),
      onMouseleave: () => this.hideSoon(),
    },
    h(doc, 'div', { className: 'discreet-card__head' },
      h(doc, 'span', { className: 'discreet-card__label' }, sentenceCase(f.label || f.category)),
      h(doc, 'span', { className: 'discreet-card__severity' }, SEVERITY_WORDS[severity])),
    h(doc, 'p', { className: 'discreet-card__why' }, f.explanation || ''),
    o.policyLink ? h(doc, 'a', { className: 'discreet-card__policy', href: o.policyLink, target: '_blank', rel: 'noopener noreferrer' }, 'Company social media policy') : null,
    h(doc, 'div', { className: 'discreet-card__actions' },
      quietButton(doc, `Replace with \u201c${o.replacement}\u201d`, () => { this.hide(); o.onReplace(); }, { 'data-action': 'replace', className: 'discreet-primary' }),
      quietButton(doc, 'Ignore here', () => { this.hide(); o.onIgnore(); }, { 'data-action': 'ignore' })),
    o.keyboard ? h(doc, 'p', { className: 'discreet-card__keys' }, 'Alt+Enter replace \u00b7 Alt+I ignore \u00b7 Esc close') : null);
    uiRoot(doc).append(this.el);
    this.place(o.rect);
    this.follow(o.session.root, o.anchor);
  }

  /**
   * Keep the card on its span while anything scrolls: the page, or a modal's own content inside a shadow
   * tree (scroll events do not leave a shadow root, so each enclosing root is listened to). A span
   * scrolled out of sight closes the card.
   */
  follow(editor, anchor) {
    const onScroll = () => {
      const rect = anchor?.();
      const { innerWidth, innerHeight } = this.doc.defaultView;
      if (!rect || rect.bottom < 0 || rect.top > innerHeight || rect.right < 0 || rect.left > innerWidth) this.hide();
      else this.place(rect);
    };
    this.unfollow = onScrollAround(editor, onScroll);
  }

  /** Below the span if it fits, else above; clamped to the viewport; position: fixed, so no scrolling. */
  place(rect) {
    const { innerWidth, innerHeight } = this.doc.defaultView;
    const box = this.el.getBoundingClientRect();
    const gap = 6;
    let top = rect.bottom + gap;
    if (top + box.height > innerHeight && rect.top - gap - box.height > 0) top = rect.top - gap - box.height;
    const left = Math.max(4, Math.min(rect.left, innerWidth - box.width - 4));
    Object.assign(this.el.style, { top: `${top}px`, left: `${left}px` });
  }

  hideSoon() {
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => this.hide(), HIDE_DELAY_MS);
  }

  hide() {
    clearTimeout(this.hideTimer);
    this.unfollow?.();
    this.unfollow = null;
    this.el?.remove();
    this.el = null;
    this.current = null;
  }

  /** Keyboard actions while a card opened from the keyboard is showing; true if the key was handled. */
  handleKey(event) {
    if (!this.current?.keyboard) return false;
    const { onReplace, onIgnore } = this.current;
    if (event.key === 'Escape') this.hide();
    else if (event.altKey && event.key === 'Enter') { this.hide(); onReplace(); }
    else if (event.altKey && event.code === 'KeyI') { this.hide(); onIgnore(); }
    else return false;
    return true;
  }
}
