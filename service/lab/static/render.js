/**
 * Drawing the lab's results. Text from the post or the corpus only ever goes in as textContent, never as
 * markup. Offsets are UTF-16 code units, as the service sends them and as JavaScript strings index.
 */

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

const SEVERITY_WORDS = { block: 'blocks', warn: 'warns', info: 'informs' };
const keyOf = (item) => `${item.start}:${item.end}`;

/** The text with each finding marked by severity (colour and underline), as the extension marks it. */
export function renderMarks(container, text, findings) {
  const parts = [];
  let last = 0;
  findings.forEach((f, i) => {
    if (f.start < last) return;
    parts.push(text.slice(last, f.start));
    parts.push(
      el(
        'mark',
        {
          class: `sev-${f.severity} cat-${f.category}`,
          dataset: { key: keyOf(f), index: String(i) },
          title: `${f.label}: ${f.explanation}`,
          tabindex: '0',
        },
        text.slice(f.start, f.end),
      ),
    );
    last = f.end;
  });
  parts.push(text.slice(last));
  container.replaceChildren(...parts);
}

function scoreStory(d) {
  if (!d.context_word) return `${d.score.toFixed(2)} (no context word involved)`;
  if (d.score_before_context === 0) {
    return `${d.score.toFixed(2)}, only because of the context word “${d.context_word}” (not flagged without it)`;
  }
  return `${d.score_before_context.toFixed(2)} → ${d.score.toFixed(2)}, raised by the context word “${d.context_word}”`;
}

function details(pairs) {
  const list = el('dl');
  for (const [term, value] of pairs) list.append(el('dt', {}, term), el('dd', {}, value));
  return list;
}

/** One explained finding (or near miss) as a card beside the marked text. */
function decisionCard(d, near) {
  const head = el(
    'div',
    { class: 'decision__head' },
    el('span', { class: 'decision__text' }, d.text),
    el('span', { class: `chip cat-${d.category}` }, d.category),
    el('span', { class: 'severity' }, near ? d.status.replace('_', ' ') : SEVERITY_WORDS[d.severity] ?? d.severity),
  );
  const rows = [
    ['recognizer', `${d.recognizer} (${d.entity_type})`],
    ['matched', d.source],
  ];
  rows.push(near ? ['why not', d.reason] : ['score', scoreStory(d)]);
  if (!near) rows.push(['told', d.explanation]);
  return el('li', { class: `decision sev-${d.severity}${near ? ' near' : ''}`, dataset: { key: keyOf(d) } }, head, details(rows));
}

export function renderDecisions(list, decisions, near) {
  list.replaceChildren(...decisions.map((d) => decisionCard(d, near)));
}

/** Hovering or focusing a mark lights up its explanation, and the other way round (wire once). */
export function linkMarksToCards(marked, cards) {
  const light = (key, on) => {
    for (const node of [...marked.querySelectorAll('mark'), ...cards.querySelectorAll('.decision')]) {
      node.classList.toggle('active', on && node.dataset.key === key);
    }
  };
  const enter = (e) => {
    const target = e.target.closest('[data-key]');
    if (target) light(target.dataset.key, true);
  };
  for (const root of [marked, cards]) {
    root.addEventListener('mouseover', enter);
    root.addEventListener('focusin', enter);
    root.addEventListener('mouseout', () => light(null, false));
    root.addEventListener('focusout', () => light(null, false));
  }
}

const pct = (x) => x.toFixed(3);

/** Precision, recall and F2 per category for one or two policies, then the posts whose outcome changed. */
export function renderEval(container, answer, names) {
  const reports = answer.reports;
  const categories = [...new Set(reports.flatMap((r) => Object.keys(r.categories)))].sort();
  const head = el('tr', {}, el('th', {}, 'category'));
  for (const name of names.slice(0, reports.length)) {
    for (const col of ['precision', 'recall', 'F2', 'tp', 'fp', 'fn']) head.append(el('th', {}, `${col} ${name}`));
  }
  const body = el('tbody');
  for (const category of [...categories, 'overall']) {
    const row = el('tr', {}, el('td', {}, category));
    reports.forEach((r, i) => {
      const t = category === 'overall' ? r.overall : r.categories[category] ?? { precision: 1, recall: 1, f2: 1, tp: 0, fp: 0, fn: 0 };
      const other = reports[1 - i];
      const o = other && (category === 'overall' ? other.overall : other.categories[category]);
      const mark = (key) => (i === 1 && o ? (t[key] > o[key] ? 'better' : t[key] < o[key] ? 'worse' : '') : '');
      row.append(
        el('td', { class: mark('precision') }, pct(t.precision)),
        el('td', { class: mark('recall') }, pct(t.recall)),
        el('td', { class: mark('f2') }, pct(t.f2)),
        el('td', {}, String(t.tp)),
        el('td', {}, String(t.fp)),
        el('td', {}, String(t.fn)),
      );
    });
    body.append(row);
  }
  const table = el('table', { id: 'eval-table' }, el('thead', {}, head), body);
  const clean = reports
    .map((r, i) => `${names[i]}: ${r.clean_posts_flagged} of ${r.clean_posts} clean posts warned`)
    .join('; ');
  const parts = [el('p', {}, `${answer.posts} posts. ${clean}.`), table];
  if (answer.changed) {
    parts.push(el('h3', {}, `Posts whose outcome changed with the edited copy: ${answer.changed.length}`));
    const words = { tp: 'found', fp: 'false alarm', fn: 'missed' };
    const items = answer.changed.map((c) => {
      const describe = (o) => `${words[o[0]]} ${o[1]} “${o[2]}”`;
      const story = [...c.gone.map((o) => `loaded: ${describe(o)}`), ...c.new.map((o) => `edited: ${describe(o)}`)];
      return el('li', { class: c.verdict }, el('strong', {}, `${c.id} ${c.verdict}`), ` — ${story.join('; ')}`);
    });
    parts.push(el('ul', { class: 'changes', id: 'changed-posts' }, ...items));
  }
  container.replaceChildren(...parts);
}
