/**
 * Which changes to an editor's text are the user's. CSS.highlights is one registry per document, shared
 * with the page's scripts, so marking text a script wrote (quill.setText, a value assignment) would let any
 * script on the page ask "is this name on the roster?" and read the answer back. Only a change that
 * follows trusted user input in this editor (a key, paste, drop, IME commit, or the extension's own Replace)
 * and inserts no more than that input could have is the user's; anything else leaves the text unmarked
 * until the user next types. The guard still checks the whole text when the user clicks Post.
 */

/** How long after a trusted event the editor may still be applying it (editors update asynchronously). */
export const TRUST_WINDOW_MS = 500;
/** Slack over the input's own length: auto-formatting, a list marker, a newline. */
const SLACK = 8;

/** Number of UTF-16 units inserted going from `before` to `after` (one contiguous edit assumed). */
export function insertedLength(before, after) {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return after.length - prefix - suffix;
}

/** How much text a trusted event inserts itself (before slack), or null for events that are not input. */
function insertedBy(event) {
  switch (event.type) {
    case 'keydown': return 2; // one character, or an emoji's surrogate pair
    case 'paste': return event.clipboardData?.getData('text/plain').length ?? 0;
    case 'drop': return event.dataTransfer?.getData('text/plain').length ?? 0;
    case 'beforeinput':
    case 'compositionend': return event.data?.length ?? 0;
    default: return null;
  }
}

const EVENTS = ['keydown', 'beforeinput', 'paste', 'drop', 'compositionend'];

export class InputTrust {
  /** @param {Element} root the editor @param {() => number} [now] */
  constructor(root, now = () => performance.now()) {
    this.root = root;
    this.now = now;
    this.until = -Infinity;
    this.allowance = 0;
    this.onEvent = (event) => {
      if (!event.isTrusted) return;
      const length = insertedBy(event);
      if (length !== null) this.grant(length);
    };
    for (const type of EVENTS) root.addEventListener(type, this.onEvent, true);
  }

  /** Changes within the window may insert up to `length` units (plus slack) as the user's. */
  grant(length) {
    const allowance = length + SLACK;
    const open = this.now() <= this.until;
    this.allowance = open ? Math.max(this.allowance, allowance) : allowance;
    this.until = this.now() + TRUST_WINDOW_MS;
  }

  /** Whether the change from `before` to `after` is the user's. */
  judge(before, after) {
    if (before === after) return true;
    return this.now() <= this.until && insertedLength(before, after) <= this.allowance;
  }

  dispose() {
    for (const type of EVENTS) this.root.removeEventListener(type, this.onEvent, true);
  }
}
