/**
 * Content script entry: finds editors as they come and go, attaches a session to each, and wires the
 * card (hover / keyboard), the guard on Post and the settings from the background.
 */
import { ext } from '../shared/browser.js';
import { MSG } from '../shared/messages.js';
import { replacementFor } from '../shared/settings.js';
import { createAdapter } from './adapters/index.js';
import { Card } from './card.js';
import { composedContains, composedParent, eventTarget } from './composed.js';
import { EditorFinder } from './discovery.js';
import { PostEvents } from './events.js';
import { PostGuard } from './guard.js';
import { editorKind, editorRootOf } from './selectors.js';
import { EditorSession } from './session.js';
import { StatusNotice } from './notice.js';
import { isOverUi } from './ui.js';

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
    this.categories = new Map(); // name -> {label, severity, replacement}, from the service's policy
    this.settings = { paused: false, mode: 'block', failMode: 'open', allowPostAnyway: true, replacements: {}, policyLink: '' };
    this.card = new Card(doc);
    this.guard = new PostGuard(doc, {
      sessionFor: (el) => this.sessionFor(el),
      settings: () => this.settings,
      replacementOf: (f) => this.replacementOf(f.category),
    });
    this.finder = new EditorFinder(doc, () => this.discover());
    this.editorCount = 0;
  }

  start() {
    this.loadSettings();
    ext.runtime.onMessage.addListener((message) => {
      if (message?.type === MSG.SETTINGS_CHANGED) this.loadSettings().then(() => this.rescanAll());
    });
    // Every user event's composed path shows the open shadow roots it crossed (LinkedIn's shell composer).
    for (const type of ['focusin', 'pointerdown', 'click', 'keydown', 'input']) {
      this.doc.addEventListener(type, (e) => this.finder.learn(e), true);
    }
    this.doc.addEventListener('focusin', (e) => {
      const root = editorRootOf(eventTarget(e));
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
    this.finder.start();
    this.discover();
  }

  async loadSettings() {
    const [settings, categories] = await Promise.all([
      ext.runtime.sendMessage({ type: MSG.SETTINGS }),
      ext.runtime.sendMessage({ type: MSG.CATEGORIES }).catch(() => null),
    ]);
    this.settings = settings.values;
    if (categories?.ok) this.categories = new Map(categories.categories.map((c) => [c.name, c]));
  }

  /** The user's replacement for a category, else the policy's. */
  replacementOf(category) {
    return replacementFor(this.settings, category, this.categories);
  }

  rescanAll() {
    for (const session of this.sessions.values()) session.rescan();
  }

  /** Attach to new editors, detach from removed ones. */
  discover() {
    for (const [root, session] of this.sessions) {
      if (!root.isConnected) {
        session.detach();
        this.sessions.delete(root);
      }
    }
    for (const el of this.finder.editors()) {
      const root = editorRootOf(el);
      if (root) this.attach(root);
    }
  }

  attach(root) {
    if (this.sessions.has(root)) return;
    const adapter = createAdapter(editorKind(root), root);
    if (!adapter) return;
    const editor = ++this.editorCount;
    const send = (text, seq, { priority }) => ext.runtime.sendMessage({ type: MSG.SCAN, seq, text, site: this.site, editor, priority })
      .catch(() => ({ ok: false, reason: 'unreachable' }));
    const session = new EditorSession(adapter, send, (s) => this.changed(s));
    session.notice = new StatusNotice(root);
    session.events = new PostEvents((events, { urgent }) => {
      ext.runtime.sendMessage({ type: MSG.EVENTS, site: this.site, events, urgent }).catch(() => {});
    });
    this.sessions.set(root, session);
  }

  changed(session) {
    if (!session.root.isConnected) session.notice?.hide();
    else session.notice?.update(session.status);
    if (!session.text().trim()) session.events.reset();
    else if (session.status === 'ok') session.events.findings('finding_shown', session.shown, session.shown);
    const current = this.card.current;
    if (current?.session === session && !session.shown.some((f) => current.finding.text === f.text && current.finding.start === f.start)) {
      this.card.hide();
    }
  }

  /**
   * The session an element belongs to: its editor, or the nearest editor around it (a Post button's),
   * looking across shadow boundaries (LinkedIn's editor sits one shadow root below its Post button).
   */
  sessionFor(el) {
    const root = editorRootOf(el);
    if (root && this.sessions.has(root)) return this.sessions.get(root);
    for (let box = composedParent(el); box; box = composedParent(box)) {
      for (const [r, session] of this.sessions) if (composedContains(box, r)) return session;
    }
    return null;
  }

  openCard(session, hit, keyboard) {
    const { finding, rect } = hit;
    this.card.show({
      session,
      finding,
      rect,
      anchor: () => session.rectOf(finding),
      keyboard,
      replacement: this.replacementOf(finding.category),
      policyLink: this.settings.policyLink,
      onReplace: () => {
        session.events.findings('replaced', [finding], session.shown);
        session.replace(finding, this.replacementOf(finding.category));
      },
      onIgnore: () => {
        session.events.findings('ignored', [finding], session.shown);
        session.ignore(finding);
      },
    });
  }

  onPointer(event) {
    if (this.pointerFrame) return;
    const { clientX: x, clientY: y } = event;
    this.pointerFrame = requestAnimationFrame(() => {
      this.pointerFrame = 0;
      if (isOverUi(this.doc, x, y)) return;
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
    const session = this.sessions.get(editorRootOf(eventTarget(event)));
    const hit = session?.findingAtCaret();
    if (hit) this.openCard(session, hit, true);
    else if (this.card.current?.keyboard) this.card.hide();
  }
}

new Controller(document).start();
