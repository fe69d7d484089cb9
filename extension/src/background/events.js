/**
 * User actions for the security team's log (issue 13), sent to POST /v1/events: batched (every few
 * seconds, at once after a post), bounded (a per-minute cap across tabs, a bounded queue while the service
 * is away) and built field by field from the contract's names, so no text can ride along.
 * Content scripts already send each finding's event once per post (see content/events.js).
 */

export const EVENT_TYPES = Object.freeze(['finding_shown', 'post_blocked', 'posted_anyway', 'replaced', 'ignored', 'post_unchecked']);
const POST_LEVEL = new Set(['post_blocked', 'post_unchecked']);
const SITES = new Set(['linkedin', 'x', 'other']);
const SEVERITIES = new Set(['block', 'warn', 'info']);
// Policy names (categories, recognizers): words, spaces and a little punctuation, as the service checks them.
const NAME = /^[\p{L}\p{N}_][\p{L}\p{N}_ .,:()'/&+-]{0,79}$/u;

export const BATCH_MS = 5000;
export const MAX_PER_REQUEST = 100; // the contract's limit
export const MAX_PER_MINUTE = 120;
export const MAX_QUEUED = 300;
const MINUTE_MS = 60_000;

/**
 * One event with exactly the contract's fields, or null if it cannot be one. Only `type`, `site`,
 * `category`, `recognizer` and `severity` are read, and names must look like policy names.
 */
export function toEvent(input, site) {
  if (!input || !EVENT_TYPES.includes(input.type)) return null;
  const event = { type: input.type, site: SITES.has(site) ? site : 'other' };
  for (const field of ['category', 'recognizer']) {
    const value = input[field];
    if (typeof value === 'string' && NAME.test(value)) event[field] = value;
    else if (!POST_LEVEL.has(input.type)) return null;
  }
  if (SEVERITIES.has(input.severity)) event.severity = input.severity;
  return event;
}

/** The service read these events and said no (a 4xx other than 429): sending them again cannot help. */
const refused = (reply) => reply.reason === 'rejected' && reply.status >= 400 && reply.status < 500 && reply.status !== 429;

export class EventReporter {
  /**
   * @param {object} o
   * @param {(events: object[]) => Promise<{ok: boolean, reason?: string}>} o.send one POST /v1/events
   * @param {() => number} [o.now]
   * @param {{setTimeout: Function, clearTimeout: Function}} [o.timers]
   */
  constructor({ send, now = () => Date.now(), timers = globalThis }) {
    Object.assign(this, { send, now, timers });
    this.queue = [];
    this.recent = []; // times of events accepted in the last minute
    this.timer = null;
    this.sending = null;
    this.dropped = 0;
  }

  /**
   * Queue events from one site; `urgent` (a post went out) sends them now. Returns how many were taken:
   * those over the per-minute cap or the queue's bound are dropped and counted.
   */
  add(inputs, site, { urgent = false } = {}) {
    const cutoff = this.now() - MINUTE_MS;
    this.recent = this.recent.filter((t) => t > cutoff);
    let taken = 0;
    for (const input of Array.isArray(inputs) ? inputs : []) {
      const event = toEvent(input, site);
      if (!event) continue;
      if (this.recent.length >= MAX_PER_MINUTE || this.queue.length >= MAX_QUEUED) {
        this.dropped += 1;
        continue;
      }
      this.recent.push(this.now());
      this.queue.push(event);
      taken += 1;
    }
    if (urgent) this.flush();
    else this.schedule();
    return taken;
  }

  schedule() {
    if (this.timer === null && this.queue.length) this.timer = this.timers.setTimeout(() => this.flush(), BATCH_MS);
  }

  /**
   * Send what is queued, at most MAX_PER_REQUEST per request. If the service cannot take them now (down,
   * unproven, unpaired, busy or failing) they wait for the next batch; a 4xx refusing them drops them.
   */
  async flush() {
    this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.sending) return this.sending.then(() => this.flush());
    this.sending = (async () => {
      while (this.queue.length) {
        const batch = this.queue.slice(0, MAX_PER_REQUEST);
        const reply = await this.send(batch).catch(() => ({ ok: false }));
        if (!reply.ok && !refused(reply)) break; // keep them for the next batch
        this.queue.splice(0, batch.length);
        if (!reply.ok) this.dropped += batch.length;
      }
    })();
    try {
      await this.sending;
    } finally {
      this.sending = null;
      this.schedule();
    }
  }
}
