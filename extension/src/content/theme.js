/** Light or dark, judged from the editor's own text colour (sites theme themselves, not only via the OS). */
export function themeOf(el) {
  const color = getComputedStyle(el).color.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0];
  const [r, g, b] = color;
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? 'dark' : 'light';
}

/** Severity as the UI names it; anything unknown is shown as a warning. */
export function severityOf(finding) {
  return ['block', 'warn', 'info'].includes(finding.severity) ? finding.severity : 'warn';
}
