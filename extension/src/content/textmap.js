/**
 * TextMap: an editor's text exactly as the service sees it, plus where every UTF-16 unit lives in the DOM.
 * Built in one walk so the text and the positions can never disagree.
 *
 * Rules: blocks are lines joined by "\n"; <br> ends a line (a trailing <br> that only holds an empty
 * line open adds nothing); Draft.js's empty-block <br data-text="true"> is zero characters.
 */
import { SELECTORS } from './selectors.js';

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER',
  'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE',
  'SECTION', 'TABLE', 'TR', 'UL',
]);

export class TextMap {
  /** @param {string} text @param {{node: Text, start: number}[]} pieces sorted by start */
  constructor(text, pieces) {
    this.text = text;
    this.pieces = pieces;
  }

  /** Index of the first piece for which `pred` holds (pieces are sorted, pred is monotone), or length. */
  #firstWhere(pred) {
    let lo = 0;
    let hi = this.pieces.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pred(this.pieces[mid])) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * DOM position (text node, offset) of a text offset. A range start (`forStart`) at a line break or
   * node boundary resolves to the start of the following node, a range end to the end of the preceding one.
   */
  position(offset, forStart = true) {
    const { pieces } = this;
    if (!pieces.length) return null;
    if (forStart) {
      const i = this.#firstWhere((p) => offset < p.start + p.node.data.length);
      if (i === pieces.length) return { node: pieces[i - 1].node, offset: pieces[i - 1].node.data.length };
      const p = pieces[i];
      return { node: p.node, offset: Math.max(0, offset - p.start) };
    }
    const i = this.#firstWhere((p) => p.start >= offset) - 1;
    if (i < 0) return { node: pieces[0].node, offset: 0 };
    const p = pieces[i];
    return { node: p.node, offset: Math.min(offset - p.start, p.node.data.length) };
  }

  /** A live Range covering text[start, end). */
  range(start, end) {
    const a = this.position(start, true);
    const b = end > start ? this.position(end, false) : a;
    if (!a || !b) return null;
    const range = a.node.ownerDocument.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    return range;
  }

  /** Text offset of a DOM position inside the editor, or -1. */
  offsetOf(node, offset) {
    if (node.nodeType === TEXT_NODE) {
      this.starts ??= new Map(this.pieces.map((p) => [p.node, p.start]));
      const start = this.starts.get(node);
      return start === undefined ? -1 : start + offset;
    }
    const child = node.childNodes[offset];
    const first = this.pieces.find((p) => child && (child === p.node || child.contains(p.node)));
    return first ? first.start : this.text.length;
  }
}

/** Build the TextMap of an editor root in one DOM walk. */
export function buildTextMap(root) {
  let text = '';
  const pieces = [];
  let lineOpen = false; // the current line holds something (text, or an empty block)
  let pendingBreak = false; // a "\n" is owed before the next content
  let claims = 0;

  const claim = () => {
    if (pendingBreak) text += '\n';
    pendingBreak = false;
    lineOpen = true;
    claims += 1;
  };
  const endLine = () => {
    if (lineOpen) pendingBreak = true;
    lineOpen = false;
  };

  const walk = (node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === TEXT_NODE) {
        if (!child.data.length) continue;
        claim();
        pieces.push({ node: child, start: text.length });
        text += child.data;
      } else if (child.nodeType === ELEMENT_NODE) {
        if (child.tagName === 'BR') {
          if (child.getAttribute('data-text') === 'true') continue;
          claim();
          lineOpen = false;
          pendingBreak = true;
        } else if (child.matches(SELECTORS.notText)) {
          continue;
        } else if (BLOCK_TAGS.has(child.tagName)) {
          endLine();
          const before = claims;
          walk(child);
          if (claims === before) claim();
          endLine();
        } else {
          walk(child);
        }
      }
    }
  };
  walk(root);
  return new TextMap(text, pieces);
}
