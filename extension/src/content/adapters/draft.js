/**
 * Adapter for Draft.js (X's compose box). Its empty blocks render <br data-text="true"> (zero characters,
 * handled by the TextMap), and editing part of an immutable entity (mention, hashtag, link) deletes the
 * whole entity, so a replacement that touches one widens to cover all of it.
 */
import { ContentEditableAdapter } from './contenteditable.js';
import { SELECTORS } from '../selectors.js';

export class DraftAdapter extends ContentEditableAdapter {
  static kind = 'draft';

  replacementRange(map, start, end) {
    const range = map.range(start, end);
    if (!range) return null;
    const entityOf = (node) => (node.nodeType === 1 ? node : node.parentElement)?.closest(SELECTORS.draftEntity);
    const first = entityOf(range.startContainer);
    const last = entityOf(range.endContainer);
    if (first && this.root.contains(first)) range.setStartBefore(first);
    if (last && this.root.contains(last)) range.setEndAfter(last);
    return range;
  }
}
