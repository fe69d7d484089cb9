/**
 * The server proves it holds the token before the extension sends the token or any text (issue 12 §2):
 * whoever binds the service's port first (at boot, after a crash, another user) must learn nothing.
 * The extension sends a fresh nonce to POST /v1/hello without credentials; the service answers
 * HMAC-SHA256(token, "discreet-hello-v1\n" + nonce) in lowercase hex, which only a holder of the token
 * can compute. The check uses WebCrypto's HMAC verify, which compares in constant time.
 */

export const HELLO_CONTEXT = 'discreet-hello-v1\n';
const NONCE_BYTES = 32;
const PROOF_HEX = /^[0-9a-f]{64}$/;

const encoder = new TextEncoder();

/** base64url without padding (as Python's secrets.token_urlsafe writes it). */
function base64url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh nonce: 32 random bytes, base64url. */
export function newNonce() {
  return base64url(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
}

function hmacKey(token, usage) {
  return crypto.subtle.importKey('raw', encoder.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

/** The proof a genuine service gives for `nonce` (lowercase hex); the service's side of the contract. */
export async function expectedProof(token, nonce) {
  const key = await hmacKey(token, 'sign');
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(HELLO_CONTEXT + nonce)));
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * True only if `proof` is the HMAC of `nonce` under `token`. Anything that is not 64 lowercase hex digits
 * is false; the comparison itself is WebCrypto's verify, constant-time in the browsers' implementations.
 */
export async function proofMatches(token, nonce, proof) {
  if (!token || typeof proof !== 'string' || !PROOF_HEX.test(proof)) return false;
  const mac = new Uint8Array(32);
  for (let i = 0; i < 32; i++) mac[i] = parseInt(proof.slice(2 * i, 2 * i + 2), 16);
  const key = await hmacKey(token, 'verify');
  return crypto.subtle.verify('HMAC', key, mac, encoder.encode(HELLO_CONTEXT + nonce));
}
