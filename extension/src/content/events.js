/**
 * What the person did about findings, once per post and finding (not per keystroke or per scan): each
 * finding is keyed by its category, recognizer and which of that pair it is in the post (its position
 * class), never by its text or a hash of it. The background batches and sends them (background/events.js).
 */
export const MAX_EVENTS_PER_POST = 40;

/** A key per finding: category, recognizer and its ordinal among findings of that pair, by position. */
export function findingKeys(findings) {
  const counts = new Map();
  const keys = new Map();
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    const base = `${f.category}\u0000${f.recognizer}`;
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    keys.set(f, `${base}\u0000${n}`);
  }
  return keys;
}

/** The events of one post in one editor. */
export class PostEvents {
  /** @param {(events: object[], o: {urgent: boolean}) => void} send @param {number} [cap] events per post */
  constructor(send, cap = MAX_EVENTS_PER_POST) {
    Object.assign(this, { send, cap });
    this.seen = new Set();
  }

  #take(key) {
    if (this.seen.has(key) || this.seen.size >= this.cap) return false;
    this.seen.add(key);
    return true;
  }

  /**
   * `type` for each of `findings`, once per post; `among` is the editor's whole list of findings, which
   * fixes each one's ordinal.
   */
  findings(type, findings, among = findings) {
    const keys = findingKeys(among);
    const events = [];
    for (const f of findings) {
      const key = keys.get(f) ?? findingKeys([f]).get(f);
      if (this.#take(`${type}\u0000${key}`)) {
        events.push({ type, category: f.category, recognizer: f.recognizer, severity: f.severity });
      }
    }
    if (events.length) this.send(events, { urgent: false });
  }

  /** A post-level event (post_unchecked), once per post. */
  post(type) {
    if (this.#take(type)) this.send([{ type }], { urgent: false });
  }

  /** The post went out: send what is queued now, and start a new post. */
  posted() {
    this.send([], { urgent: true });
    this.reset();
  }

  /** A new post begins (the box was emptied). */
  reset() {
    this.seen.clear();
  }
}
