/**
 * Every CSS selector the extension relies on, in one place: when LinkedIn or X change their markup,
 * the fix is a line here.
 */
export const SELECTORS = Object.freeze({
  /** LinkedIn's share and comment boxes (Quill), and its newer composer with hashed class names. */
  quill: '.ql-editor[contenteditable="true"]',
  /** X's compose box (Draft.js). */
  draft: '.public-DraftEditor-content[contenteditable="true"]',
  /** Any other rich editor: matched by role and label, not by class names. */
  contenteditable: '[contenteditable="true"][role="textbox"], [contenteditable="plaintext-only"][role="textbox"]',
  textarea: 'textarea:not([readonly]):not([disabled])',
  /** Parts of an editor that are not the user's text (Quill's cursor placeholders). */
  notText: '.ql-cursor, [contenteditable="false"]:not([data-text]), script, style, template',
  /** Draft.js immutable entities (mentions, hashtags, links): replaced whole or not at all. */
  draftEntity: '[data-testid="mention"], [data-entity-immutable], a[href]',
  /** Buttons that publish what is in the compose box: posts, comments, replies and messages. */
  postButton: [
    '.share-actions__primary-action',
    '.comments-comment-box__submit-button--cr',
    '.comments-comment-box__submit-button',
    '.msg-form__send-button',
    'button[aria-label="Post"]',
    '[data-testid="tweetButton"]',
    '[data-testid="tweetButtonInline"]',
    '[data-testid="dmComposerSendButton"]',
    'button[type="submit"][data-discreet-post]',
  ].join(', '),
});

/** Which editor kind an element is, or null. Order matters: Quill and Draft are also contenteditables. */
export function editorKind(el) {
  if (!(el instanceof Element)) return null;
  if (el.matches(SELECTORS.quill)) return 'quill';
  if (el.matches(SELECTORS.draft)) return 'draft';
  if (el.matches(SELECTORS.textarea)) return 'textarea';
  if (el.matches(SELECTORS.contenteditable)) return 'contenteditable';
  return null;
}

/** All editors under `root` that are found by selector alone (no focus needed). */
export function findEditors(root) {
  return root.querySelectorAll(
    [SELECTORS.quill, SELECTORS.draft, SELECTORS.contenteditable, SELECTORS.textarea].join(', '),
  );
}

/** The outermost editor root an element belongs to (e.g. a focused child of a contenteditable). */
export function editorRootOf(node) {
  let el = node instanceof Element ? node : node?.parentElement;
  let found = null;
  while (el) {
    if (editorKind(el)) found = el;
    if (el.tagName === 'TEXTAREA') return el;
    el = el.parentElement;
    if (found && !(el?.isContentEditable)) break;
  }
  return found;
}
