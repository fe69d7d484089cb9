/**
 * Content script entry: finds editors as they come and go, attaches a session to each, and wires the
 * card (hover / keyboard), the guard on Post and the settings from the background.
 */
import { ext } from '../shared/browser.js';
import { MSG } from '../shared/messages.js';
import { replacementFor } from '../shared/settings.js';
import { createAdapter } from './adapters/index.js';
import { Card } from './card.js';
import { PostGuard } from './guard.js';
import { editorKind, editorRootOf, findEditors } from './selectors.js';
import { EditorSession } from './session.js';

const NAV_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

function siteOf(hostname) {
  if (/(^|\.)linkedin\.com$/.test(hostname)) return 'linkedin';
  if (/(^|\.)(x|twitter)\.com$/.test(hostname)) return 'x';
  return 'other';
}

class Controller {
  constructor(doc) {
    this.doc = doc;
    this.site = siteOf(doc.location.hostname);
    this.sessions = new Map();
    this.settings = { paused: false, mode: 'block', failMode: 'open', allowPostAnyway: true, replacements: {}, policyLink: '' };
    this.card = new Card(doc);
    this.guard = new PostGuard(doc, {
      sessionFor: (el) => this.sessionFor(el),
      settings: () => this.settings,
      replacementOf: (f) => replacementFor(this.settings, f.category),
    });
    this.frame = 0;
  }

  start() {
    this.loadSettings();
    ext.runtime.onMessage.addListener((message) => {
      if (message?.type === MSG.SETTINGS_CHANGED) this.loadSettings().then(() => this.rescanAll());
    });
    new MutationObserver(() => this.scheduleDiscover()).observe(this.doc.documentElement, { childList: true, subtree: true });
    this.doc.addEventListener('focusin', (e) => {
      const root = editorRootOf(e.target);
      if (root) this.attach(root);
    }, true);
    this.doc.addEventListener('pointermove', (e) => this.onPointer(e), { passive: true, capture: true });
    this.doc.addEventListener('keyup', (e) => this.onKeyup(e), true);
    this.doc.addEventListener('keydown', (e) => {
      if (this.card.handleKey(e)) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    }, true);
    this.discover();
  }

  async loadSettings() {
    this.settings = (await ext.runtime.sendMessage({ type: MSG.SETTINGS })).values;
  }

  rescanAll() {
    for (const session of this.sessions.values()) session.scheduler.flush();
  }

  scheduleDiscover() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.discover();
    });
  }

  /** Attach to new editors, detach from removed ones. */
  discover() {
    for (const [root, session] of this.sessions) {
      if (!root.isConnected) {
        session.detach();
        this.sessions.delete(root);
      }
    }
    for (const el of findEditors(this.doc)) {
      const root = editorRootOf(el);
      if (root) this.attach(root);
    }
  }

  attach(root) {
    if (this.sessions.has(root)) return;
    const adapter = createAdapter(editorKind(root), root);
    if (!adapter) return;
    const send = (text, seq) => ext.runtime.sendMessage({ type: MSG.SCAN, seq, text, site: this.site })
      .catch(() => ({ ok: false, reason: 'unreachable' }));
    this.sessions.set(root, new EditorSession(adapter, send, (s) => this.changed(s)));
  }

  changed(session) {
    const current = this.card.current;
    if (current?.session === session && !session.shown.some((f) => current.finding.text === f.text && current.finding.start === f.start)) {
      this.card.hide();
    }
  }

  /** The session an element belongs to: its editor, or the nearest editor around it (a Post button's). */
  sessionFor(el) {
    const root = editorRootOf(el);
    if (root && this.sessions.has(root)) return this.sessions.get(root);
    for (let box = el.parentElement; box; box = box.parentElement) {
      for (const [r, session] of this.sessions) if (box.contains(r)) return session;
    }
    return null;
  }

  openCard(session, hit, keyboard) {
    const { finding, rect } = hit;
    this.card.show({
      session,
      finding,
      rect,
      keyboard,
      replacement: replacementFor(this.settings, finding.category),
      policyLink: this.settings.policyLink,
      onReplace: () => session.replace(finding, replacementFor(this.settings, finding.category)),
      onIgnore: () => session.ignore(finding),
    });
  }

  onPointer(event) {
    if (this.pointerFrame) return;
    const { clientX: x, clientY: y } = event;
    this.pointerFrame = requestAnimationFrame(() => {
      this.pointerFrame = 0;
      if (this.card.el?.contains(this.doc.elementFromPoint(x, y))) return;
      for (const session of this.sessions.values()) {
        const hit = session.findingAtPoint(x, y);
        if (hit) {
          this.openCard(session, hit, false);
          return;
        }
      }
      if (this.card.current && !this.card.current.keyboard) this.card.hideSoon();
    });
  }

  onKeyup(event) {
    if (!NAV_KEYS.has(event.key)) return;
    const session = this.sessions.get(editorRootOf(event.target));
    const hit = session?.findingAtCaret();
    if (hit) this.openCard(session, hit, true);
    else if (this.card.current?.keyboard) this.card.hide();
  }
}

new Controller(document).start();
