/**
 * Pairing with no code through native messaging: the browser starts `discreet native-host` (registered by
 * the installer under NATIVE_HOST, for our extension IDs only), which answers this user's service address,
 * token and a one-time pairing code. The token comes from the user's own token file, not from whatever
 * listens on the port, so the server's proof (proof.js) means something from the first request on.
 */
import { loopbackOrigin } from '../shared/settings.js';

export const NATIVE_HOST = 'com.discreet.host';

/** The host's answer as {serviceUrl, token, pairingCode}, or null if it is not in the contract's shape. */
export function parseHostReply(reply) {
  if (!reply || typeof reply.token !== 'string' || !reply.token || typeof reply.serviceUrl !== 'string') return null;
  let serviceUrl;
  try {
    serviceUrl = loopbackOrigin(reply.serviceUrl);
  } catch {
    return null; // the host names an address off this machine: never use it
  }
  const pairingCode = typeof reply.pairingCode === 'string' && reply.pairingCode ? reply.pairingCode : null;
  return { serviceUrl, token: reply.token, pairingCode };
}

/**
 * Ask the native host; null when it is not installed (the browser rejects), not allowed, or answers
 * something else (then the manual pairing code is the way in).
 * @param {(host: string, message: object) => Promise<object>} sendNativeMessage
 */
export async function askNativeHost(sendNativeMessage) {
  try {
    return parseHostReply(await sendNativeMessage(NATIVE_HOST, { type: 'pair' }));
  } catch {
    return null;
  }
}
