/**
 * The small, typed messages between content scripts, extension pages and the background worker.
 * The background is the only part that talks to the service; everything else sends one of these.
 */
export const MSG = Object.freeze({
  /** content → background: {type, seq, text, site, editor} → ScanReply (editor: the session's id in its frame) */
  SCAN: 'discreet/scan',
  /** content → background: {type} → PublicSettings (everything but the token) */
  SETTINGS: 'discreet/settings',
  /** content/options → background: {type} → {ok, fingerprint, categories: [{name, label, severity, replacement}]} */
  CATEGORIES: 'discreet/categories',
  /** popup → background: {type, tabId} → Status */
  STATUS: 'discreet/status',
  /** options → background: {type, code} → {ok, message} */
  PAIR: 'discreet/pair',
  /** content → background: {type, site, events: [{type, category?, recognizer?, severity?}]} → {ok}; see events.js */
  EVENTS: 'discreet/events',
  /** background → content: {type} the settings changed, ask again */
  SETTINGS_CHANGED: 'discreet/settings-changed',
});

/** Why a scan produced no findings. */
export const REASON = Object.freeze({
  PAUSED: 'paused',
  UNPAIRED: 'unpaired',
  UNREACHABLE: 'unreachable',
  /** Something answers at the service address but could not prove it holds the token (not Discreet). */
  UNPROVEN: 'unproven',
  CANCELLED: 'cancelled',
  REJECTED: 'rejected',
});
