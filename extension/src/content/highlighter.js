/**
 * Marks findings in a contenteditable with the CSS Custom Highlight API: ranges in a registry, styled
 * by ::highlight() rules in content.css. The editor's DOM is never touched, so Quill/Draft.js/React
 * never fight it. One Highlight per severity and theme is shared by every editor on the page; an editor
 * inside a shadow root gets the ::highlight() rules adopted into that root.
 */
import { adoptHighlightStyles } from './styles.js';
import { severityOf, themeOf } from './theme.js';

const owners = new Map(); // highlighter -> [{name, range}]
const registered = new Set(); // names this script put in CSS.highlights (Firefox's content-script view of the registry cannot be iterated)

function sync() {
  const byName = new Map();
  for (const entries of owners.values()) {
    for (const { name, range } of entries) {
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name).push(range);
    }
  }
  for (const name of registered) {
    if (!byName.has(name)) {
      CSS.highlights.delete(name);
      registered.delete(name);
    }
  }
  for (const [name, ranges] of byName) {
    CSS.highlights.set(name, new Highlight(...ranges));
    registered.add(name);
  }
}

/** The registry name for a finding's highlight, e.g. "discreet-block-dark". */
export function highlightName(finding, theme) {
  return `discreet-${severityOf(finding)}-${theme}`;
}

export class CssHighlighter {
  constructor(root) {
    this.root = root;
    this.ranges = [];
    adoptHighlightStyles(root);
  }

  /** Rebuild every range from a fresh TextMap (editors replace their text nodes as you type). */
  render(map, findings) {
    const theme = themeOf(this.root);
    this.ranges = findings.map((f) => map.range(f.start, f.end));
    owners.set(
      this,
      findings
        .map((f, i) => ({ name: highlightName(f, theme), range: this.ranges[i] }))
        .filter((e) => e.range && !e.range.collapsed),
    );
    sync();
  }

  /** Client rectangles of the i-th rendered finding, for hit-testing (highlights get no pointer events). */
  rectsFor(i) {
    return this.ranges[i] ? [...this.ranges[i].getClientRects()] : [];
  }

  destroy() {
    this.ranges = [];
    owners.delete(this);
    sync();
  }
}
