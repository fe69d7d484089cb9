// Settings: loopback-only service URL, managed values win and are reported locked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SERVICE_URL, loopbackOrigin, mergeSettings, publicView, replacementFor } from '../../src/shared/settings.js';

test('service URLs on this machine are accepted and normalised', () => {
  assert.equal(loopbackOrigin('http://127.0.0.1:8765/'), 'http://127.0.0.1:8765');
  assert.equal(loopbackOrigin(' http://localhost:9000 '), 'http://localhost:9000');
  assert.equal(loopbackOrigin('http://[::1]:8765'), 'http://[::1]:8765');
  assert.equal(loopbackOrigin('http://127.8.0.1'), 'http://127.8.0.1');
});

test('anything that could send text off the machine is refused, with a reason', () => {
  for (const bad of ['http://example.com:8765', 'http://127.0.0.1.evil.com', 'https://10.0.0.5', 'ftp://127.0.0.1',
    'http://user@127.0.0.1', 'http://127.0.0.1/v1/scan', 'not a url', 'http://127.0.0.1?x=1']) {
    assert.throws(() => loopbackOrigin(bad), /must|not a URL/, bad);
  }
});

test('managed settings override the user and are listed as locked', () => {
  const { values, locked } = mergeSettings(
    { mode: 'off', policyLink: 'https://user.example', token: 'user-token' },
    { mode: 'block', token: 'managed-token', allowPostAnyway: false },
  );
  assert.equal(values.mode, 'block');
  assert.equal(values.token, 'managed-token');
  assert.equal(values.allowPostAnyway, false);
  assert.equal(values.policyLink, 'https://user.example');
  assert.deepEqual(locked.sort(), ['allowPostAnyway', 'mode', 'token']);
});

test('a non-loopback service URL, even from storage, falls back to the default', () => {
  assert.equal(mergeSettings({ serviceUrl: 'http://evil.example' }).values.serviceUrl, DEFAULT_SERVICE_URL);
});

test("the native host's address and token win over managed ones (each user's own port), never shown", () => {
  const host = { serviceUrl: 'http://127.0.0.1:40123', token: 'users-own-token' };
  const merged = mergeSettings({ nativeHost: host }, { serviceUrl: 'http://127.0.0.1:8765', token: 'machine' });
  assert.equal(merged.values.serviceUrl, 'http://127.0.0.1:40123');
  assert.equal(merged.values.token, 'users-own-token');
  assert.equal(merged.values.nativeHost, undefined);
  assert.ok(!JSON.stringify(publicView(merged)).includes('users-own-token'));
  const evil = mergeSettings({ nativeHost: { serviceUrl: 'http://evil.example', token: 't' } });
  assert.equal(evil.values.serviceUrl, DEFAULT_SERVICE_URL); // still loopback only
});

test('the public view never carries the token', () => {
  const view = publicView(mergeSettings({ token: 'secret-token' }));
  assert.equal(JSON.stringify(view).includes('secret-token'), false);
  assert.equal(view.values.paired, true);
});

test("replacements: the user's override, else the policy's (from the service), else [redacted]", () => {
  const settings = mergeSettings({ replacements: { client: 'a healthcare client' } }).values;
  const categories = new Map([['client', { replacement: 'a client' }], ['deal', { replacement: 'a confidential deal' }]]);
  assert.equal(replacementFor(settings, 'client', categories), 'a healthcare client');
  assert.equal(replacementFor(settings, 'deal', categories), 'a confidential deal', "a policy's own category");
  assert.equal(replacementFor(settings, 'something-new', categories), '[redacted]');
  assert.deepEqual(mergeSettings({}).values.replacements, {}, 'the extension keeps no table of its own');
});
