/** The toolbar badge: findings on the tab, coloured by the worst severity; grey when the service is unreachable. */
import { ext } from '../shared/browser.js';

export const BADGE_COLORS = Object.freeze({
  block: '#c5221f',
  warn: '#b06000',
  info: '#1a73e8',
  none: '#188038',
  unreachable: '#80868b',
});

const SEVERITY_ORDER = ['info', 'warn', 'block'];

/** Badge text and colour for a tab's findings, or the service's state. */
export function badgeFor({ reachable, paused, findings }) {
  if (paused) return { text: '', color: BADGE_COLORS.none };
  if (!reachable) return { text: '!', color: BADGE_COLORS.unreachable };
  if (!findings.length) return { text: '', color: BADGE_COLORS.none };
  const worst = findings.reduce((w, f) => Math.max(w, SEVERITY_ORDER.indexOf(f.severity)), 0);
  return { text: String(findings.length), color: BADGE_COLORS[SEVERITY_ORDER[worst]] ?? BADGE_COLORS.warn };
}

export async function showBadge(tabId, state) {
  const { text, color } = badgeFor(state);
  await Promise.all([
    ext.action.setBadgeText({ tabId, text }),
    ext.action.setBadgeBackgroundColor({ tabId, color }),
    ext.action.setTitle({ tabId, title: state.reachable ? `Discreet: ${state.findings.length} finding(s)` : 'Discreet: service not reachable' }),
  ]).catch(() => {}); // the tab may have closed meanwhile
}
