/** Adapter for Quill (LinkedIn's share and comment boxes): a contenteditable whose model follows DOM input. */
import { ContentEditableAdapter } from './contenteditable.js';

export class QuillAdapter extends ContentEditableAdapter {
  static kind = 'quill';
}
