/**
 * One attached editor: its adapter, the scan schedule, the current findings (minus those ignored here)
 * and their highlights. Keeps highlights in place while typing by re-anchoring findings to the new text.
 */
import { ScanScheduler } from './scheduler.js';
import { InputTrust } from './trust.js';

/** Which findings are ignored is remembered by occurrence: category, text and how many came before. */
export function occurrenceKeys(findings) {
  const seen = new Map();
  return findings.map((f) => {
    const base = `${f.category}\u0000${f.text}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}\u0000${n}`;
  });
}

/**
 * Findings still valid for `text`, which changed from a text of length `oldLength`: each stays if its
 * text is still at its offsets, or moves by the length change if the edit happened before it.
 */
export function reanchor(findings, text, oldLength) {
  const delta = text.length - oldLength;
  const out = [];
  for (const f of findings) {
    if (text.slice(f.start, f.end) === f.text) out.push(f);
    else if (delta && text.slice(f.start + delta, f.end + delta) === f.text) {
      out.push({ ...f, start: f.start + delta, end: f.end + delta });
    }
  }
  return out;
}

export class EditorSession {
  /**
   * @param {object} adapter see adapters/
   * @param {(text: string, seq: number) => Promise<object>} send scan through the background
   * @param {(session: EditorSession) => void} onChange findings or status changed
   */
  constructor(adapter, send, onChange) {
    this.adapter = adapter;
    this.root = adapter.root;
    this.onChange = onChange;
    this.highlighter = adapter.createHighlighter();
    this.findings = [];
    this.ignored = new Set();
    this.status = 'idle'; // idle | ok | paused | unpaired | unreachable | rejected
    this.acknowledged = new Set(); // warn findings the user chose to post anyway
    this.map = adapter.readMap();
    // Text already in the box (a draft, or a page script's) is marked once the user types; see trust.js.
    this.trust = new InputTrust(this.root);
    this.trusted = false;
    this.scheduler = new ScanScheduler({
      currentText: () => this.text(),
      send,
      onReply: (reply, text) => this.applyReply(reply, text),
    });
    this.listeners = [
      ['compositionstart', () => this.scheduler.compositionStart()],
      ['compositionend', () => this.scheduler.compositionEnd(this.trusted)],
    ];
    for (const [type, fn] of this.listeners) this.root.addEventListener(type, fn);
    this.unobserve = adapter.observe(() => this.edited());
  }

  text() {
    return this.map.text;
  }

  /**
   * The editor changed: re-read, keep what still holds, redraw at once, and scan after the pause if the
   * change was the user's; a change that was not (a page script's) is not scanned until the user types.
   */
  edited() {
    const before = this.map.text;
    this.map = this.adapter.readMap();
    if (before !== this.map.text) this.trusted = this.trust.judge(before, this.map.text);
    this.findings = reanchor(this.findings, this.map.text, before.length);
    if (!this.map.text.trim()) this.ignored.clear();
    this.render();
    if (this.trusted) this.scheduler.touch();
    else this.scheduler.stop();
  }

  /** Scan again (reconnected, settings changed); text that is not the user's waits for the guard or a keystroke. */
  rescan() {
    if (this.trusted) this.scheduler.flush();
    else this.scheduler.invalidate();
  }

  applyReply(reply, text) {
    if (reply.ok) {
      this.status = 'ok';
      this.findings = reply.findings.filter((f) => text.slice(f.start, f.end) === f.text);
    } else if (reply.reason !== 'cancelled') {
      this.status = reply.reason;
      this.findings = [];
    }
    this.render();
  }

  /** What the guard needs to judge a post. */
  state() {
    return { status: this.status, findings: this.visible(), acknowledged: this.acknowledged };
  }

  /** Findings shown to the user: everything the service found minus what was ignored here. */
  visible() {
    const keys = occurrenceKeys(this.findings);
    return this.findings.filter((_, i) => !this.ignored.has(keys[i]));
  }

  render() {
    this.shown = this.visible();
    this.highlighter.render(this.map, this.shown);
    this.onChange(this);
  }

  /** The shown finding under a viewport point, with the rectangle under the point. */
  findingAtPoint(x, y) {
    for (let i = 0; i < (this.shown?.length ?? 0); i++) {
      for (const r of this.highlighter.rectsFor(i)) {
        if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) return { finding: this.shown[i], rect: r };
      }
    }
    return null;
  }

  /** The first rectangle of a shown finding now (it moves when its container scrolls), or null. */
  rectOf(finding) {
    const i = (this.shown ?? []).indexOf(finding);
    return i < 0 ? null : this.highlighter.rectsFor(i)[0] ?? null;
  }

  /** The shown finding the caret is in (keyboard users), with its first rectangle. */
  findingAtCaret() {
    const offset = this.adapter.caretOffset(this.map);
    if (offset < 0) return null;
    const i = (this.shown ?? []).findIndex((f) => offset > f.start && offset < f.end);
    if (i < 0) return null;
    const rect = this.highlighter.rectsFor(i)[0];
    return rect ? { finding: this.shown[i], rect } : null;
  }

  ignore(finding) {
    const keys = occurrenceKeys(this.findings);
    const i = this.findings.indexOf(finding);
    if (i >= 0) this.ignored.add(keys[i]);
    this.render();
  }

  /** Replace one finding; if its text moved on, drop it and rescan. */
  async replace(finding, replacement) {
    this.trust.grant(replacement.length);
    const done = await this.adapter.replace(finding.start, finding.end, finding.text, replacement);
    if (!done) {
      this.findings = this.findings.filter((f) => f !== finding);
      this.render();
    }
    this.scheduler.touch();
    return done;
  }

  /** Replace several findings, last first, so earlier offsets stay valid. */
  async replaceAll(findings, replacementOf) {
    for (const f of [...findings].sort((a, b) => b.start - a.start)) await this.replace(f, replacementOf(f));
  }

  detach() {
    this.scheduler.stop();
    this.trust.dispose();
    this.unobserve();
    for (const [type, fn] of this.listeners) this.root.removeEventListener(type, fn);
    this.highlighter.destroy();
    this.findings = [];
    this.shown = [];
    this.onChange(this);
  }
}
