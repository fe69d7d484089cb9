/** Adapter for a plain <textarea>: its value is the text, a mirror overlay shows the marks. */
import { MirrorHighlighter } from '../mirror.js';

export class TextareaAdapter {
  static kind = 'textarea';

  constructor(root) {
    this.root = root;
    this.doc = root.ownerDocument;
    this.kind = TextareaAdapter.kind;
  }

  /** The value's own UTF-16 indexes are the offsets: no DOM positions to keep. */
  readMap() {
    return { text: this.root.value };
  }

  createHighlighter() {
    return new MirrorHighlighter(this.root);
  }

  observe(onChange) {
    this.root.addEventListener('input', onChange);
    return () => this.root.removeEventListener('input', onChange);
  }

  caretOffset() {
    const { selectionStart, selectionEnd } = this.root;
    return this.root.getRootNode().activeElement === this.root && selectionStart === selectionEnd ? selectionStart : -1;
  }

  async replace(start, end, expected, replacement) {
    if (this.root.value.slice(start, end) !== expected) return false;
    this.root.focus({ preventScroll: true });
    this.root.setSelectionRange(start, end);
    if (this.doc.execCommand('insertText', false, replacement)) return true;
    this.root.setRangeText(replacement, start, end, 'end');
    this.root.dispatchEvent(new InputEvent('input', { inputType: 'insertReplacementText', data: replacement, bubbles: true }));
    return true;
  }
}
