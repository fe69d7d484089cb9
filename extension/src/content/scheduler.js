/**
 * When to ask for a scan: after a pause in typing, never during an IME composition, one request in
 * flight per editor (a newer one cancels the older), and answers for text that has since changed dropped.
 */
export const SCAN_DELAY_MS = 150;

export class ScanScheduler {
  /**
   * @param {object} o
   * @param {() => string} o.currentText the editor's text now
   * @param {(text: string, seq: number, o: {priority: boolean}) => Promise<object>} o.send asks the background; a
   *   newer send cancels older; priority (the guard at a Post click) is never held back by the scan budget
   * @param {(reply: object, text: string) => void} o.onReply called only with answers for the current text
   * @param {number} [o.delay]
   * @param {{setTimeout: Function, clearTimeout: Function}} [o.timers]
   */
  constructor({ currentText, send, onReply, delay = SCAN_DELAY_MS, timers = globalThis }) {
    Object.assign(this, { currentText, send, onReply, delay, timers });
    this.timer = null;
    this.seq = 0;
    this.composing = false;
    this.lastScanned = null;
  }

  /** The text changed: (re)start the pause. */
  touch() {
    this.timers.clearTimeout(this.timer);
    this.timer = this.composing ? null : this.timers.setTimeout(() => this.flush(), this.delay);
  }

  compositionStart() {
    this.composing = true;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The composition ended; scan after the pause unless told not to (text that is not the user's). */
  compositionEnd(rearm = true) {
    this.composing = false;
    if (rearm) this.touch();
  }

  /** Forget which text was last answered, so the guard checks again before a post. */
  invalidate() {
    this.lastScanned = null;
  }

  /** True when the last answer applied was for exactly the editor's current text. */
  isFresh() {
    return this.lastScanned !== null && this.lastScanned === this.currentText();
  }

  /**
   * Scan now (e.g. before a post); resolves with the reply, or null when it went stale or was cancelled.
   * A cancelled reply is no answer: the text is not recorded as scanned, so the guard checks it again.
   */
  async flush({ priority = false } = {}) {
    this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.composing) return null;
    const text = this.currentText();
    const seq = ++this.seq;
    const reply = await this.send(text, seq, { priority });
    if (seq !== this.seq || text !== this.currentText() || !reply || reply.reason === 'cancelled') return null;
    this.lastScanned = text;
    this.onReply(reply, text);
    return reply;
  }

  stop() {
    this.timers.clearTimeout(this.timer);
    this.seq += 1;
  }
}
