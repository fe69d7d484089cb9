// The server's proof before the token (issue 12 §2, CONTRACTS.md "Proof of the server"): the check itself,
// and the background's HTTP client against a contract-conformant fake service and against squatters that
// answer /v1/hello wrongly, not at all, or not as Discreet. A squatter must never see the token or text.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { HELLO_CONTEXT, expectedProof, newNonce, proofMatches } from '../../src/background/proof.js';
import { parseHostReply } from '../../src/background/native.js';
import { categories, hello, scan, sendEvents } from '../../src/background/service.js';

const TOKEN = 'tok_' + randomBytes(24).toString('base64url');
const TEXT = 'CANARY-7f3a post text about Halden Orthodontics';

/** The service's side of the contract, written independently of proof.js (node:crypto). */
const serverProof = (token, nonce) => createHmac('sha256', Buffer.from(token, 'utf8')).update(`discreet-hello-v1\n${nonce}`).digest('hex');

describe('the proof check', () => {
  test('a fresh nonce is 32 random bytes in base64url', () => {
    const a = newNonce();
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(a, 'base64url').length, 32);
    assert.notEqual(a, newNonce());
  });

  test("the proof is the contract's HMAC-SHA256 in lowercase hex", async () => {
    const nonce = newNonce();
    assert.equal(await expectedProof(TOKEN, nonce), serverProof(TOKEN, nonce));
    assert.equal(HELLO_CONTEXT, 'discreet-hello-v1\n');
  });

  test('only the HMAC of this nonce under this token matches', async () => {
    const nonce = newNonce();
    const good = serverProof(TOKEN, nonce);
    assert.equal(await proofMatches(TOKEN, nonce, good), true);
    assert.equal(await proofMatches(TOKEN, newNonce(), good), false, 'a proof for another nonce (replay)');
    assert.equal(await proofMatches(`${TOKEN}x`, nonce, good), false, 'a proof under another token');
    const flipped = (good[0] === '0' ? '1' : '0') + good.slice(1);
    assert.equal(await proofMatches(TOKEN, nonce, flipped), false, 'one digit off');
    for (const bad of [good.toUpperCase(), good.slice(2), `${good}00`, '', null, 42, `${good.slice(0, 62)}zz`]) {
      assert.equal(await proofMatches(TOKEN, nonce, bad), false, `malformed proof ${JSON.stringify(bad)}`);
    }
    assert.equal(await proofMatches('', nonce, serverProof('', nonce)), false, 'no token, no proof');
  });
});

/** A listener on a loopback port: `mode` decides how it answers /v1/hello; every request is recorded. */
function listener() {
  const seen = [];
  const state = { mode: 'genuine', token: TOKEN };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const json = (status, value) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/v1/hello') {
        if (state.mode === 'hangup') return req.socket.destroy();
        if (state.mode === 'no-hello') return json(404, { error: { code: 'not_found', message: 'no such endpoint' } });
        const { nonce } = JSON.parse(body || '{}');
        if (typeof nonce !== 'string' || Buffer.from(nonce, 'base64url').length !== 32) return json(400, { error: { code: 'bad_request' } });
        if (state.mode === 'wrong') return json(200, { proof: serverProof('guessed-token', nonce), version: '9' });
        if (state.mode === 'echo') return json(200, { proof: nonce, version: '9' });
        return json(200, { proof: serverProof(state.token, nonce), version: '1.0' });
      }
      if (req.headers.authorization !== `Bearer ${state.token}`) return json(401, { error: { code: 'unauthorized', message: 'token' } });
      if (req.url === '/v1/scan') return json(200, { findings: [], policy: 'fp' });
      if (req.url === '/v1/categories') return json(200, { fingerprint: 'fp', categories: [] });
      if (req.url === '/v1/events') return json(202, { accepted: JSON.parse(body).events.length });
      return json(404, {});
    });
  });
  return { seen, state, server };
}

describe('the service client proves the server before the token or any text', () => {
  const l = listener();
  let url;
  before(async () => {
    await new Promise((r) => l.server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${l.server.address().port}`;
  });
  after(() => new Promise((r) => { l.server.closeAllConnections(); l.server.close(r); }));

  const tokenOrTextSent = () => l.seen.filter((r) => JSON.stringify(r).includes(TOKEN) || r.body.includes('CANARY'));

  test('the genuine service: hello (no credentials), then the scan with the token', async () => {
    l.seen.length = 0;
    l.state.mode = 'genuine';
    assert.deepEqual(await hello(url, TOKEN), { ok: true, version: '1.0' });
    const reply = await scan(url, TOKEN, TEXT, 'linkedin');
    assert.equal(reply.ok, true);
    assert.deepEqual(l.seen.map((r) => r.url), ['/v1/hello', '/v1/hello', '/v1/scan'], 'every token-bearing request is proved anew');
    for (const r of l.seen.filter((x) => x.url === '/v1/hello')) {
      assert.equal(r.headers.authorization, undefined);
      assert.deepEqual(Object.keys(JSON.parse(r.body)), ['nonce']);
    }
    assert.equal(l.seen[2].headers.authorization, `Bearer ${TOKEN}`);
    assert.equal((await categories(url, TOKEN)).ok, true);
    assert.equal((await sendEvents(url, TOKEN, [{ type: 'ignored', site: 'x', category: 'client', recognizer: 'roster' }])).ok, true);
  });

  for (const [mode, reason] of [['wrong', 'unproven'], ['echo', 'unproven'], ['no-hello', 'unproven'], ['hangup', 'unreachable']]) {
    test(`a squatter whose /v1/hello is "${mode}" gets no token and no text; the scan is ${reason}`, async () => {
      l.seen.length = 0;
      l.state.mode = mode;
      const reply = await scan(url, TOKEN, TEXT, 'linkedin');
      assert.equal(reply.ok, false);
      assert.equal(reply.reason, reason);
      assert.equal((await categories(url, TOKEN)).reason, reason);
      assert.equal((await sendEvents(url, TOKEN, [{ type: 'post_unchecked', site: 'x' }])).reason, reason);
      assert.deepEqual(l.seen.map((r) => r.url).filter((u) => u !== '/v1/hello'), [], 'only hellos reached it');
      assert.deepEqual(tokenOrTextSent(), []);
    });
  }

  test('a service restarted with another token (or a squatter after a clean stop) is proved again, not trusted', async () => {
    l.state.mode = 'genuine';
    assert.equal((await scan(url, TOKEN, TEXT, 'x')).ok, true);
    l.seen.length = 0;
    l.state.token = 'another-token-after-restart';
    const reply = await scan(url, TOKEN, TEXT, 'x');
    assert.equal(reply.reason, 'unproven');
    assert.deepEqual(tokenOrTextSent(), []);
    l.state.token = TOKEN;
  });

  test('no token: nothing is sent at all', async () => {
    l.seen.length = 0;
    assert.equal((await scan(url, '', TEXT, 'x')).reason, 'unpaired');
    assert.deepEqual(l.seen, []);
  });

  test('concurrent requests share one hello', async () => {
    l.state.mode = 'genuine';
    l.seen.length = 0;
    const replies = await Promise.all([scan(url, TOKEN, 'a', 'x'), scan(url, TOKEN, 'b', 'x'), categories(url, TOKEN)]);
    assert.ok(replies.every((r) => r.ok));
    assert.equal(l.seen.filter((r) => r.url === '/v1/hello').length, 1);
  });
});

test("the native host's answer: used only in the contract's shape and on this machine", () => {
  const good = { serviceUrl: 'http://127.0.0.1:8765', token: 't0k', pairingCode: 'ABCD-EFGH' };
  assert.deepEqual(parseHostReply(good), { serviceUrl: 'http://127.0.0.1:8765', token: 't0k', pairingCode: 'ABCD-EFGH' });
  assert.deepEqual(parseHostReply({ ...good, pairingCode: null, serviceProblem: 'down' }).pairingCode, null);
  assert.equal(parseHostReply({ ...good, serviceUrl: 'http://evil.example:8765' }), null);
  assert.equal(parseHostReply({ error: 'no token file' }), null);
  assert.equal(parseHostReply({ ...good, token: '' }), null);
  assert.equal(parseHostReply(null), null);
});
