/**
 * Adapter for a generic contenteditable editor; the Quill and Draft.js adapters refine it.
 * An adapter knows how to read its editor's text (TextMap), map points to offsets, and change the
 * text through the editor's own input path so the editor's model and undo stack stay right.
 */
import { buildTextMap } from '../textmap.js';
import { CssHighlighter } from '../highlighter.js';
import { selectionRangeIn } from '../composed.js';

export class ContentEditableAdapter {
  static kind = 'contenteditable';

  constructor(root) {
    this.root = root;
    this.doc = root.ownerDocument;
    this.kind = this.constructor.kind;
  }

  readMap() {
    return buildTextMap(this.root);
  }

  createHighlighter() {
    return new CssHighlighter(this.root);
  }

  /** Watch every change to the editor's text; returns a function that stops watching. */
  observe(onChange) {
    const observer = new MutationObserver(onChange);
    observer.observe(this.root, { childList: true, characterData: true, subtree: true });
    return () => observer.disconnect();
  }

  /** The text offset of the caret when the selection is collapsed inside the editor, else -1. */
  caretOffset(map) {
    const range = selectionRangeIn(this.root); // inside shadow roots too
    if (!range || !range.collapsed) return -1;
    return map.offsetOf(range.endContainer, range.endOffset);
  }

  /** The range to replace for a finding; editors with immutable entities widen it. */
  replacementRange(map, start, end) {
    return map.range(start, end);
  }

  /** Select `range` and let the editor see it: editors (Draft.js) sync their model's selection on selectionchange. */
  async select(range) {
    this.root.focus({ preventScroll: true });
    const changed = new Promise((resolve) => {
      this.doc.addEventListener('selectionchange', resolve, { once: true });
      setTimeout(resolve, 100);
    });
    // setBaseAndExtent reaches into shadow roots, where addRange of a shadow-tree range does not everywhere.
    this.doc.getSelection().setBaseAndExtent(range.startContainer, range.startOffset, range.endContainer, range.endOffset);
    await changed;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  /**
   * Replace text[start, end) with `replacement` if it still reads `expected`. Returns false (and changes
   * nothing) when the text moved on. Uses trusted insertText, which joins the editor's undo stack.
   */
  async replace(start, end, expected, replacement) {
    const map = this.readMap();
    if (map.text.slice(start, end) !== expected) return false;
    const range = this.replacementRange(map, start, end);
    if (!range) return false;
    await this.select(range);
    if (this.readMap().text.slice(start, end) !== expected) return false;
    if (this.doc.execCommand('insertText', false, replacement)) return true;
    const data = new DataTransfer();
    data.setData('text/plain', replacement);
    const event = new InputEvent('beforeinput', {
      inputType: 'insertReplacementText',
      data: replacement,
      dataTransfer: data,
      targetRanges: [new StaticRange(range)],
      bubbles: true,
      cancelable: true,
    });
    this.root.dispatchEvent(event);
    return event.defaultPrevented;
  }
}
