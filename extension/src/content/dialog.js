/**
 * The guard's dialog: lists what would be posted (Replace all / Edit / Post anyway where allowed).
 * Resolves with the choice: "replace", "edit" or "post".
 */
import { h, sentenceCase } from './dom.js';
import { severityOf } from './theme.js';
import { uiRoot } from './ui.js';

export function askBeforePosting(doc, { title, intro, findings, allowPostAnyway, canReplace, theme }) {
  return new Promise((resolve) => {
    let overlay;
    const choose = (choice) => {
      overlay.remove();
      doc.removeEventListener('keydown', onKey, true);
      resolve(choice);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        choose('edit');
      }
    };
    const button = (label, choice, primary) => h(doc, 'button', {
      type: 'button',
      className: primary ? 'discreet-primary' : '',
      'data-action': choice,
      onClick: () => choose(choice),
    }, label);
    const dialog = h(doc, 'div', {
      className: 'discreet-dialog',
      role: 'alertdialog',
      'aria-modal': 'true',
      'aria-labelledby': 'discreet-dialog-title',
      'data-theme': theme,
    },
    h(doc, 'h2', { id: 'discreet-dialog-title' }, title),
    h(doc, 'p', {}, intro),
    findings.length ? h(doc, 'ul', {}, findings.map((f) => h(doc, 'li', { className: `discreet-${severityOf(f)}` },
      h(doc, 'strong', {}, sentenceCase(f.label || f.category)), ': \u201c', f.text, '\u201d'))) : null,
    h(doc, 'div', { className: 'discreet-dialog__actions' },
      canReplace && findings.length ? button('Replace all', 'replace', true) : null,
      button('Edit', 'edit', !canReplace),
      allowPostAnyway ? button('Post anyway', 'post', false) : null));
    overlay = h(doc, 'div', { className: 'discreet-overlay', 'data-discreet-dialog': '' }, dialog);
    uiRoot(doc).append(overlay);
    doc.addEventListener('keydown', onKey, true);
    dialog.querySelector('button')?.focus({ preventScroll: true });
  });
}
