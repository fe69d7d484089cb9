/**
 * Marks findings in a <textarea> with a mirror overlay: a pointer-events:none copy of the textarea's
 * text laid out identically (same box, font and wrapping), transparent except for the marks, kept in
 * step with the textarea's scroll, size and position.
 */
import { severityOf, themeOf } from './theme.js';
import { uiRoot } from './ui.js';

const COPIED = [
  'boxSizing', 'width', 'height', 'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontVariant',
  'letterSpacing', 'wordSpacing', 'lineHeight', 'textAlign', 'textIndent', 'textTransform', 'direction',
  'tabSize', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'borderTopWidth',
  'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth', 'borderTopStyle', 'borderRightStyle',
  'borderBottomStyle', 'borderLeftStyle',
];

export class MirrorHighlighter {
  constructor(textarea) {
    this.textarea = textarea;
    this.doc = textarea.ownerDocument;
    this.mirror = this.doc.createElement('div');
    this.mirror.className = 'discreet-mirror';
    this.mirror.setAttribute('data-discreet-mirror', '');
    this.mirror.setAttribute('aria-hidden', 'true');
    this.marks = [];
    this.follow = () => this.place();
    this.resize = new ResizeObserver(this.follow);
    this.resize.observe(textarea);
    textarea.addEventListener('scroll', this.follow);
    this.doc.defaultView.addEventListener('scroll', this.follow, true);
    this.doc.defaultView.addEventListener('resize', this.follow);
  }

  /** Copy the textarea's box and scroll offsets onto the mirror. */
  place() {
    const style = getComputedStyle(this.textarea);
    for (const prop of COPIED) this.mirror.style[prop] = style[prop];
    const rect = this.textarea.getBoundingClientRect();
    Object.assign(this.mirror.style, {
      top: `${rect.top}px`,
      left: `${rect.left}px`,
      width: `${rect.width}px`,
      height: `${rect.height}px`,
      boxSizing: 'border-box',
      borderColor: 'transparent',
    });
    this.mirror.scrollTop = this.textarea.scrollTop;
    this.mirror.scrollLeft = this.textarea.scrollLeft;
  }

  render(map, findings) {
    const { text } = map;
    this.mirror.dataset.theme = themeOf(this.textarea);
    this.mirror.replaceChildren();
    this.marks = [];
    let at = 0;
    for (const f of [...findings].sort((a, b) => a.start - b.start)) {
      if (f.start < at) continue;
      this.mirror.append(text.slice(at, f.start));
      const mark = this.doc.createElement('mark');
      mark.className = `discreet-mark discreet-${severityOf(f)}`;
      mark.textContent = text.slice(f.start, f.end);
      this.mirror.append(mark);
      this.marks[findings.indexOf(f)] = mark;
      at = f.end;
    }
    // A trailing newline needs a character after it to take up its line, as in the textarea.
    this.mirror.append(`${text.slice(at)}\u200b`);
    if (!this.mirror.isConnected) uiRoot(this.doc).append(this.mirror);
    this.place();
  }

  rectsFor(i) {
    return this.marks[i] ? [...this.marks[i].getClientRects()] : [];
  }

  destroy() {
    this.resize.disconnect();
    this.textarea.removeEventListener('scroll', this.follow);
    this.doc.defaultView.removeEventListener('scroll', this.follow, true);
    this.doc.defaultView.removeEventListener('resize', this.follow);
    this.mirror.remove();
    this.marks = [];
  }
}
