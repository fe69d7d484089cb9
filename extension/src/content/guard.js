/**
 * The guard on Post: LinkedIn's and X's Post buttons and Ctrl/Cmd+Enter. Block-severity findings stop
 * the post with a dialog; warn-severity ones ask once; with the service down, failMode decides.
 * Only the user's own (trusted) clicks and keys are judged: a page script that clicks Post itself could
 * post without the button anyway, and answering it would tell the page what is flagged.
 */
import { eventTarget, pathElements } from './composed.js';
import { askBeforePosting } from './dialog.js';
import { SELECTORS } from './selectors.js';
import { severityOf, themeOf } from './theme.js';

/** Warnings the user chose to post anyway are remembered by category and text, for this editor. */
const ackKey = (f) => `${f.category}\u0000${f.text}`;

/**
 * What the guard should do with these findings and settings: "post", "block" (stop, list blockers),
 * "warn" (ask once) or "unchecked" (service unreachable, fail closed).
 * @returns {{action: string, findings: object[]}}
 */
export function verdict({ status, findings, acknowledged }, settings) {
  if (settings.mode === 'off' || settings.paused) return { action: 'post', findings: [] };
  if (status !== 'ok') {
    const closed = settings.failMode === 'closed' && status !== 'paused';
    return { action: closed ? 'unchecked' : 'post', findings: [] };
  }
  const blockers = findings.filter((f) => severityOf(f) === 'block');
  if (blockers.length && settings.mode === 'block') return { action: 'block', findings: blockers };
  const warnings = findings.filter((f) => severityOf(f) !== 'info');
  const fresh = warnings.filter((f) => !acknowledged.has(ackKey(f)));
  return fresh.length ? { action: 'warn', findings: warnings } : { action: 'post', findings: [] };
}

export class PostGuard {
  /**
   * @param {Document} doc
   * @param {{sessionFor: (el: Element) => object|null, settings: () => object, replacementOf: (f) => string}} deps
   */
  constructor(doc, { sessionFor, settings, replacementOf }) {
    Object.assign(this, { doc, sessionFor, settings, replacementOf });
    this.passing = false;
    doc.addEventListener('click', (e) => this.onClick(e), true);
    doc.addEventListener('keydown', (e) => this.onKeydown(e), true);
  }

  onClick(event) {
    if (!event.isTrusted || this.passing) return;
    // The button may sit inside a shadow tree, where event.target is only the outermost host.
    const button = pathElements(event).find((el) => el.matches(SELECTORS.postButton));
    if (!button) return;
    const session = this.sessionFor(button);
    if (session) this.intercept(event, session, () => button.click());
  }

  onKeydown(event) {
    if (!event.isTrusted || event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || this.passing) return;
    const target = eventTarget(event);
    const session = target && this.sessionFor(target);
    if (!session) return;
    const { ctrlKey, metaKey } = event;
    this.intercept(event, session, () => target.dispatchEvent(new KeyboardEvent('keydown', {
      key: 'Enter', code: 'Enter', ctrlKey, metaKey, bubbles: true, cancelable: true,
    })));
  }

  /** Let a checked, clean post through untouched; otherwise hold it, check, and ask. */
  intercept(event, session, repost) {
    const settings = this.settings();
    if (session.scheduler.isFresh() && verdict(session.state(), settings).action === 'post') {
      this.goesOut(session, session.state(), settings);
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    this.decide(session, settings).then((post) => {
      if (!post) return;
      this.passing = true;
      try {
        repost();
      } finally {
        this.passing = false;
      }
    });
  }

  async decide(session, settings) {
    if (!session.scheduler.isFresh()) await session.scheduler.flush({ priority: true });
    // No answer for exactly this text (cancelled, or the text moved on): the post is not checked.
    const state = session.scheduler.isFresh() ? session.state() : { ...session.state(), status: 'unchecked' };
    const { action, findings } = verdict(state, settings);
    if (action === 'post') {
      this.goesOut(session, state, settings);
      return true;
    }
    if (action === 'block') session.events.findings('post_blocked', findings, session.shown);
    const theme = themeOf(session.root);
    const texts = {
      block: ['This post names things that must stay private',
        'Discreet found the following in your post. Replace them or edit the post before posting.'],
      warn: ['Check this post before it goes out',
        'Discreet found the following in your post. Post it only if you are sure they may be public.'],
      unchecked: ['Discreet could not check this post',
        'The Discreet service on this computer is not answering, and your company asks that posts are checked first.'],
    }[action];
    const choice = await askBeforePosting(this.doc, {
      title: texts[0],
      intro: texts[1],
      findings,
      theme,
      canReplace: action !== 'unchecked',
      allowPostAnyway: action === 'warn' || settings.allowPostAnyway,
    });
    if (choice === 'replace') {
      session.events.findings('replaced', findings, session.shown);
      await session.replaceAll(findings, this.replacementOf);
    }
    if (choice === 'edit') session.root.focus({ preventScroll: true });
    if (choice === 'post' && action === 'warn') {
      for (const f of findings) session.acknowledged.add(ackKey(f));
    }
    if (choice === 'post') {
      if (action !== 'unchecked') session.events.findings('posted_anyway', findings, session.shown);
      this.goesOut(session, state, settings);
    }
    return choice === 'post';
  }

  /** The post is let through: report it if it was not checked (service away, fail-open), send the post's events. */
  goesOut(session, state, settings) {
    if (state.status !== 'ok' && settings.mode !== 'off' && !settings.paused) session.events.post('post_unchecked');
    session.events.posted();
  }
}
