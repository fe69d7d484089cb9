// ScanScheduler: debounce, IME composition, cancelling and ignoring stale answers.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { SCAN_DELAY_MS, ScanScheduler } from '../../src/content/scheduler.js';

function setup() {
  mock.timers.enable({ apis: ['setTimeout'] });
  const state = { text: '', sent: [], replies: [], pending: [] };
  const scheduler = new ScanScheduler({
    currentText: () => state.text,
    send: (text, seq) => new Promise((resolve) => {
      state.sent.push({ text, seq });
      state.pending.push({ seq, resolve: (findings) => resolve({ ok: true, findings }) });
    }),
    onReply: (reply, text) => state.replies.push({ text, findings: reply.findings }),
    timers: { setTimeout, clearTimeout },
  });
  return { state, scheduler };
}

const settle = () => new Promise((r) => setImmediate(r));

test('scans once, after a pause in typing', async (t) => {
  t.after(() => mock.timers.reset());
  const { state, scheduler } = setup();
  for (const ch of 'Hello') {
    state.text += ch;
    scheduler.touch();
    mock.timers.tick(SCAN_DELAY_MS - 10);
  }
  assert.equal(state.sent.length, 0, 'no scan while typing continues');
  mock.timers.tick(10);
  assert.deepEqual(state.sent.map((s) => s.text), ['Hello']);
});

test('waits while an IME composition is in progress', async (t) => {
  t.after(() => mock.timers.reset());
  const { state, scheduler } = setup();
  scheduler.compositionStart();
  state.text = 'にほ';
  scheduler.touch();
  mock.timers.tick(SCAN_DELAY_MS * 5);
  assert.equal(state.sent.length, 0);
  state.text = '日本';
  scheduler.compositionEnd();
  mock.timers.tick(SCAN_DELAY_MS);
  assert.deepEqual(state.sent.map((s) => s.text), ['日本']);
});

test('an answer for text that has since changed is dropped', async (t) => {
  t.after(() => mock.timers.reset());
  const { state, scheduler } = setup();
  state.text = 'Halden';
  scheduler.touch();
  mock.timers.tick(SCAN_DELAY_MS);
  state.text = 'Halden O';
  state.pending[0].resolve([{ start: 0, end: 6 }]);
  await settle();
  assert.equal(state.replies.length, 0);
  assert.equal(scheduler.isFresh(), false);
});

test('an older answer arriving after a newer request is dropped; the newer one applies', async (t) => {
  t.after(() => mock.timers.reset());
  const { state, scheduler } = setup();
  state.text = 'a';
  const first = scheduler.flush();
  state.text = 'ab';
  const second = scheduler.flush();
  state.pending[1].resolve(['new']);
  state.pending[0].resolve(['old']);
  assert.equal(await first, null);
  assert.deepEqual((await second).findings, ['new']);
  assert.deepEqual(state.replies, [{ text: 'ab', findings: ['new'] }]);
  assert.equal(scheduler.isFresh(), true);
});

test('stop() cancels the pending scan', async (t) => {
  t.after(() => mock.timers.reset());
  const { state, scheduler } = setup();
  state.text = 'x';
  scheduler.touch();
  scheduler.stop();
  mock.timers.tick(SCAN_DELAY_MS * 2);
  assert.equal(state.sent.length, 0);
});

test('a cancelled reply is no answer: the text is not recorded as scanned', async () => {
  const replies = [];
  const scheduler = new ScanScheduler({
    currentText: () => 'patient Margaret Ellison',
    send: async () => ({ ok: false, reason: 'cancelled' }),
    onReply: (reply) => replies.push(reply),
  });
  assert.equal(await scheduler.flush(), null);
  assert.equal(scheduler.isFresh(), false, 'the guard must check this text again');
  assert.deepEqual(replies, [], 'the cancelled reply is not applied');
});
