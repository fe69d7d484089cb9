/** The WebExtension namespace: `browser` in Firefox, `chrome` (promise-based in MV3) elsewhere. */
export const ext = globalThis.browser ?? globalThis.chrome;
