/**
 * The extension's style sheets as text, one source for every place they apply: the highlight rules go to
 * the document (dist/content.css, written by the build from HIGHLIGHT_CSS) and are adopted into every shadow
 * root that holds an editor; the UI rules live in the extension's closed shadow root. Severity is shown by
 * colour AND underline style (not colour alone).
 */
export const HIGHLIGHT_CSS = `
::highlight(discreet-block-light) { background-color: rgba(197, 34, 31, 0.14); text-decoration: underline wavy #c5221f; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
::highlight(discreet-warn-light) { background-color: rgba(176, 96, 0, 0.12); text-decoration: underline dashed #b06000; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
::highlight(discreet-info-light) { text-decoration: underline dotted #1a73e8; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
::highlight(discreet-block-dark) { background-color: rgba(242, 139, 130, 0.22); text-decoration: underline wavy #f28b82; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
::highlight(discreet-warn-dark) { background-color: rgba(253, 214, 99, 0.18); text-decoration: underline dashed #fdd663; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
::highlight(discreet-info-dark) { text-decoration: underline dotted #8ab4f8; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
`;

/** Card, dialog, textarea mirror and the "not checked" notice (inside the closed UI root). */
export const UI_CSS = `
.discreet-mirror { position: fixed !important; z-index: 2147483000 !important; pointer-events: none !important; overflow: hidden !important;
  white-space: pre-wrap !important; overflow-wrap: break-word !important; color: transparent !important; background: transparent !important; margin: 0 !important; }
.discreet-mirror .discreet-mark { color: transparent; border-radius: 2px; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
.discreet-mirror .discreet-block { background: rgba(197, 34, 31, 0.14); text-decoration: underline wavy #c5221f; }
.discreet-mirror .discreet-warn { background: rgba(176, 96, 0, 0.12); text-decoration: underline dashed #b06000; }
.discreet-mirror .discreet-info { background: transparent; text-decoration: underline dotted #1a73e8; }
.discreet-mirror[data-theme="dark"] .discreet-block { background: rgba(242, 139, 130, 0.22); text-decoration-color: #f28b82; }
.discreet-mirror[data-theme="dark"] .discreet-warn { background: rgba(253, 214, 99, 0.18); text-decoration-color: #fdd663; }
.discreet-mirror[data-theme="dark"] .discreet-info { text-decoration-color: #8ab4f8; }

*, *::before, *::after { box-sizing: border-box; }
.discreet-card, .discreet-dialog {
  --d-bg: #ffffff; --d-fg: #202124; --d-muted: #5f6368; --d-border: #dadce0; --d-accent: #165c7d; --d-accent-fg: #fff;
  --d-block: #c5221f; --d-warn: #b06000; --d-info: #1a73e8;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--d-fg); background: var(--d-bg);
  border: 1px solid var(--d-border); border-radius: 10px; box-shadow: 0 6px 24px rgba(0, 0, 0, 0.22);
}
.discreet-card[data-theme="dark"], .discreet-dialog[data-theme="dark"] {
  --d-bg: #202124; --d-fg: #e8eaed; --d-muted: #9aa0a6; --d-border: #5f6368; --d-accent: #7cc4e4; --d-accent-fg: #0b2531;
  --d-block: #f28b82; --d-warn: #fdd663; --d-info: #8ab4f8;
}
.discreet-card { position: fixed; z-index: 2147483600; width: max-content; min-width: 260px; max-width: 360px; padding: 10px 12px; border-left-width: 4px; }
.discreet-card.discreet-block { border-left-color: var(--d-block); }
.discreet-card.discreet-warn { border-left-color: var(--d-warn); }
.discreet-card.discreet-info { border-left-color: var(--d-info); }
.discreet-card__head { display: flex; gap: 8px; align-items: baseline; justify-content: space-between; }
.discreet-card__label { font-weight: 600; font-size: 14px; white-space: nowrap; }
.discreet-card__severity { white-space: nowrap; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--d-muted); }
.discreet-card__why { margin: 6px 0; }
.discreet-card__policy { display: inline-block; margin-bottom: 6px; color: var(--d-accent); }
.discreet-card__keys { margin: 6px 0 0; font-size: 11px; color: var(--d-muted); }
.discreet-card__actions, .discreet-dialog__actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 6px; }
.discreet-card button, .discreet-dialog button {
  font: inherit; padding: 5px 12px; border-radius: 16px; border: 1px solid var(--d-border); background: transparent; color: var(--d-fg); cursor: pointer;
}
.discreet-card button.discreet-primary, .discreet-dialog button.discreet-primary { background: var(--d-accent); color: var(--d-accent-fg); border-color: var(--d-accent); }
.discreet-overlay { position: fixed; inset: 0; z-index: 2147483601; background: rgba(0, 0, 0, 0.35); display: flex; align-items: center; justify-content: center; }
.discreet-dialog { width: min(440px, 92vw); padding: 18px 20px; }
.discreet-dialog h2 { font-size: 17px; margin: 0 0 8px; }
.discreet-dialog p { margin: 0 0 8px; }
.discreet-dialog ul { margin: 0 0 12px; padding-left: 18px; }
.discreet-dialog li.discreet-block::marker { color: var(--d-block); }
.discreet-dialog li.discreet-warn::marker { color: var(--d-warn); }
.discreet-status { position: fixed; z-index: 2147483500; pointer-events: none; max-width: 320px; padding: 3px 10px; border-radius: 12px;
  font: 600 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #5f6368; color: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25); }
.discreet-status[data-state="unchecked"] { background: #b06000; }
`;
