/**
 * The "What fires" panel: the service's audit counters, the same figures as `discreet report`, drawn as
 * bars. Per recognizer and severity: findings shown, and how many were overridden or replaced (the rules
 * people override most are the ones to tune); per day: shown, overrides and unchecked posts.
 */
const SVG = 'http://www.w3.org/2000/svg';
const ROW = 26;
const LABEL = 250;
const BAR = 420;

function el(name, attrs = {}, text = undefined) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function percent(rate) {
  return rate === null ? 'nothing shown' : `${Math.round(rate * 100)}% overridden`;
}

function recognizerChart(rows) {
  const height = Math.max(1, rows.length) * ROW + 8;
  const svg = el('svg', { class: 'chart', viewBox: `0 0 ${LABEL + BAR + 200} ${height}`, role: 'img', 'aria-label': 'Findings shown and overridden per recognizer' });
  const most = Math.max(1, ...rows.map((r) => r.finding_shown + r.post_blocked));
  rows.forEach((r, i) => {
    const y = i * ROW + 4;
    const scale = (n) => (n / most) * BAR;
    const group = el('g', { class: 'recognizer', 'data-recognizer': r.recognizer, 'data-severity': r.severity ?? '', 'data-shown': r.finding_shown, 'data-overrides': r.overrides, 'data-replaced': r.replaced });
    group.append(
      el('text', { x: LABEL - 8, y: y + 16, 'text-anchor': 'end', class: 'label' }, `${r.recognizer} · ${r.severity ?? '-'}`),
      el('rect', { x: LABEL, y, width: scale(r.finding_shown), height: ROW - 8, class: 'shown' }),
      el('rect', { x: LABEL, y, width: scale(r.overrides), height: ROW - 8, class: 'overridden' }),
      el('rect', { x: LABEL + scale(r.overrides), y, width: scale(r.replaced), height: ROW - 8, class: 'replaced' }),
      el('text', { x: LABEL + scale(Math.max(r.finding_shown, 1)) + 8, y: y + 16, class: 'value' }, `${percent(r.override_rate)} (${r.overrides} of ${r.finding_shown})`),
    );
    svg.append(group);
  });
  return svg;
}

function dayChart(days) {
  const width = LABEL + BAR + 200;
  const slot = (width - 40) / Math.max(1, days.length);
  const height = 160;
  const svg = el('svg', { class: 'chart', viewBox: `0 0 ${width} ${height + 24}`, role: 'img', 'aria-label': 'Findings shown, overrides and unchecked posts per day' });
  const most = Math.max(1, ...days.map((d) => d.finding_shown));
  const series = [
    ['shown', (d) => d.finding_shown],
    ['overridden', (d) => d.posted_anyway + d.ignored],
    ['unchecked', (d) => d.post_unchecked],
  ];
  days.forEach((d, i) => {
    const x = 40 + i * slot;
    const bar = Math.min(18, (slot - 8) / series.length);
    const group = el('g', { class: 'day', 'data-day': d.day });
    series.forEach(([name, value], s) => {
      const h = (value(d) / most) * height;
      group.append(el('rect', { x: x + s * bar, y: height - h, width: bar - 2, height: h, class: name }));
    });
    group.append(el('text', { x, y: height + 16, class: 'axis' }, d.day.slice(5)));
    svg.append(group);
  });
  return svg;
}

function legend() {
  const p = document.createElement('p');
  p.className = 'legend';
  for (const [name, text] of [['shown', 'shown'], ['overridden', 'posted anyway or ignored'], ['replaced', 'replaced'], ['unchecked', 'posted unchecked']]) {
    const key = document.createElement('span');
    key.className = `key ${name}`;
    key.textContent = text;
    p.append(key);
  }
  return p;
}

/** Fill `root` with the report `POST /v1/audit/report` returned. */
export function renderAudit(root, report) {
  const totals = report.totals;
  const summary = document.createElement('p');
  summary.id = 'audit-summary';
  summary.textContent = `${report.since} to ${report.until}: ${totals.finding_shown ?? 0} findings shown, ` +
    `${(totals.posted_anyway ?? 0) + (totals.ignored ?? 0)} overridden, ${totals.replaced ?? 0} replaced, ` +
    `${totals.post_blocked ?? 0} posts blocked, ${totals.post_unchecked ?? 0} posted unchecked.`;
  const byRule = document.createElement('h3');
  byRule.textContent = 'Per recognizer and severity, most overridden first';
  const byDay = document.createElement('h3');
  byDay.textContent = 'Per day';
  root.replaceChildren(summary, legend(), byRule, recognizerChart(report.recognizers), byDay, dayChart(report.per_day));
}
