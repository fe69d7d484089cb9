// InputTrust and ScanBudget: only the user's own edits are marked, and distinct scans per tab are bounded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScanBudget } from '../../src/background/budget.js';
import { InputTrust, TRUST_WINDOW_MS, insertedLength } from '../../src/content/trust.js';

function editor() {
  const listeners = {};
  return {
    addEventListener: (type, fn) => { listeners[type] = fn; },
    removeEventListener: (type) => { delete listeners[type]; },
    fire: (type, props = {}) => listeners[type]({ type, isTrusted: true, ...props }),
    fireUntrusted: (type, props = {}) => listeners[type]({ type, isTrusted: false, ...props }),
  };
}

test('insertedLength measures one contiguous edit', () => {
  assert.equal(insertedLength('Hello', 'Hello!'), 1);
  assert.equal(insertedLength('Hello world', 'Hello big world'), 4);
  assert.equal(insertedLength('Hello', 'Hell'), 0);
  assert.equal(insertedLength('', 'Halden Orthodontics, Pinecrest'), 30);
});

test('a script writing names with no keystroke is not the user; a keystroke is', () => {
  let now = 1000;
  const root = editor();
  const trust = new InputTrust(root, () => now);
  assert.equal(trust.judge('', 'Halden Orthodontics'), false, 'no input at all');
  root.fireUntrusted('keydown');
  assert.equal(trust.judge('', 'H'), false, 'a synthetic keydown is not the user');
  root.fire('keydown');
  assert.equal(trust.judge('Hi', 'Hi!'), true);
  assert.equal(trust.judge('Hi', 'Hi Halden Orthodontics and Pinecrest Care Home'), false, 'more than a key can insert');
  now += TRUST_WINDOW_MS + 1;
  assert.equal(trust.judge('Hi!', 'Hi!!'), false, 'the window closed');
});

test('paste, drop and IME may insert what they carry', () => {
  const root = editor();
  const trust = new InputTrust(root);
  root.fire('paste', { clipboardData: { getData: () => 'Thanks to Tidewater Freight' } });
  assert.equal(trust.judge('', 'Thanks to Tidewater Freight'), true);
  root.fire('compositionend', { data: 'にほんご' });
  assert.equal(trust.judge('a', 'aにほんご'), true);
});

test('the budget lets the same text again through, holds distinct scans over the limit, never the guard', async () => {
  let now = 0;
  const slept = [];
  const budget = new ScanBudget({ limit: 2, now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; } });
  assert.equal(await budget.take(1, 'a'), true);
  assert.equal(await budget.take(1, 'b'), true);
  assert.equal(await budget.take(1, 'a'), true, 'a repeat costs nothing');
  assert.equal(await budget.take(2, 'c'), true, 'other tabs have their own budget');
  assert.equal(await budget.take(1, 'd', { priority: true }), true);
  assert.deepEqual(slept, [], 'nothing waited so far');
  assert.equal(await budget.take(1, 'e'), true);
  assert.ok(slept.length === 1 && slept[0] > 59_000, `waited for a slot: ${slept}`);
  const controller = new AbortController();
  controller.abort();
  assert.equal(await budget.take(1, 'f', { signal: controller.signal }), false);
});
