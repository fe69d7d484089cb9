/**
 * A budget of distinct scans per tab per minute. Even with marks limited to the user's own edits, a page
 * script that rewrites the editor after each keystroke would get one roster answer per scan; the budget
 * bounds that rate. Over budget, a scan waits for a slot (marks lag a little, nothing is lost); the same
 * text again costs nothing (answers are cached) and the guard at a Post click is never held back.
 * Texts are remembered only as a 32-bit hash, in memory, for the minute.
 */
export const SCANS_PER_MINUTE = 60;
const WINDOW_MS = 60_000;

/** FNV-1a over UTF-16 units: cheap, in memory only, not a way to recover the text. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class ScanBudget {
  constructor({ limit = SCANS_PER_MINUTE, now = () => Date.now(), sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = {}) {
    Object.assign(this, { limit, now, sleep });
    this.tabs = new Map(); // tabId -> [{at, hash}]
  }

  #recent(tabId) {
    const cutoff = this.now() - WINDOW_MS;
    const list = (this.tabs.get(tabId) ?? []).filter((e) => e.at > cutoff);
    this.tabs.set(tabId, list);
    return list;
  }

  /**
   * Wait until this scan may go; resolves false if `signal` aborted meanwhile.
   * @param {number} tabId @param {string} text @param {{priority?: boolean, signal?: AbortSignal}} o
   */
  async take(tabId, text, { priority = false, signal } = {}) {
    const h = hash(text);
    for (;;) {
      if (signal?.aborted) return false;
      const list = this.#recent(tabId);
      if (priority || list.some((e) => e.hash === h) || list.length < this.limit) {
        if (!list.some((e) => e.hash === h)) list.push({ at: this.now(), hash: h });
        return true;
      }
      await this.sleep(list[0].at + WINDOW_MS - this.now() + 1);
    }
  }

  forget(tabId) {
    this.tabs.delete(tabId);
  }
}
