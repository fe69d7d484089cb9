/** The adapter for each editor kind. */
import { ContentEditableAdapter } from './contenteditable.js';
import { DraftAdapter } from './draft.js';
import { QuillAdapter } from './quill.js';
import { TextareaAdapter } from './textarea.js';

const ADAPTERS = new Map(
  [ContentEditableAdapter, QuillAdapter, DraftAdapter, TextareaAdapter].map((A) => [A.kind, A]),
);

export function createAdapter(kind, root) {
  const Adapter = ADAPTERS.get(kind);
  return Adapter ? new Adapter(root) : null;
}
