// User-action events (issue 13, CONTRACTS.md "User-action events"): once per post and finding, batched,
// bounded under a typing storm, and never any text (a canary rides in every field a finding has).
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { BATCH_MS, EVENT_TYPES, EventReporter, MAX_PER_MINUTE, MAX_PER_REQUEST, toEvent } from '../../src/background/events.js';
import { MAX_EVENTS_PER_POST, PostEvents } from '../../src/content/events.js';

const CANARY = 'Zq7CANARYxw';
/** A finding as the service serves it, with the canary in every text-bearing field. */
const finding = (start, category = 'client', recognizer = 'client_roster', severity = 'warn') => ({
  start, end: start + 11, text: `${CANARY} Halden`, category, label: 'a confidential client', entity_type: 'CLIENT',
  severity, score: 0.9, recognizer, explanation: `'${CANARY}' is on the confidential client list`,
});

/** The content side wired to the background side, as main.js / background main.js wire them. */
function pipeline({ send = async () => ({ ok: true }) } = {}) {
  const sent = [];
  const reporter = new EventReporter({
    send: async (events) => {
      sent.push(structuredClone(events));
      return send(events);
    },
    timers: { setTimeout, clearTimeout },
  });
  const post = new PostEvents((events, { urgent }) => reporter.add(events, 'linkedin', { urgent }));
  return { sent, reporter, post };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

test('finding_shown once per post and finding, however often the same findings are rendered', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const { sent, post } = pipeline();
  const a = finding(0);
  const b = finding(30);
  const p = finding(50, 'patient', 'patient_name', 'block');
  for (let keystroke = 0; keystroke < 200; keystroke++) {
    // Each render after a scan gives new objects, offsets moving as the person types before them.
    const shift = keystroke % 7;
    post.findings('finding_shown', [a, b, p].map((f) => ({ ...f, start: f.start + shift })));
  }
  assert.equal(sent.length, 0, 'batched: nothing sent before the batch interval');
  mock.timers.tick(BATCH_MS);
  await settle();
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0], [
    { type: 'finding_shown', site: 'linkedin', category: 'client', recognizer: 'client_roster', severity: 'warn' },
    { type: 'finding_shown', site: 'linkedin', category: 'client', recognizer: 'client_roster', severity: 'warn' },
    { type: 'finding_shown', site: 'linkedin', category: 'patient', recognizer: 'patient_name', severity: 'block' },
  ], 'two client findings (first and second of their kind) and one patient finding');
});

test('the actions of a post, sent at once when it goes out; a new post reports its findings again', async () => {
  const { sent, post } = pipeline();
  const a = finding(0);
  const p = finding(40, 'patient', 'patient_name', 'block');
  post.findings('finding_shown', [a, p]);
  post.findings('ignored', [a], [a, p]);
  post.findings('post_blocked', [p], [a, p]);
  post.findings('post_blocked', [p], [a, p]); // a second click on Post for the same post
  post.findings('posted_anyway', [p], [a, p]);
  post.post('post_unchecked');
  post.post('post_unchecked');
  post.posted();
  await settle();
  assert.deepEqual(sent.flat().map((e) => e.type), ['finding_shown', 'finding_shown', 'ignored', 'post_blocked', 'posted_anyway', 'post_unchecked']);
  assert.deepEqual(sent.flat().at(-1), { type: 'post_unchecked', site: 'linkedin' });
  post.findings('finding_shown', [a]);
  post.posted();
  await settle();
  assert.equal(sent.flat().filter((e) => e.type === 'finding_shown').length, 3, 'the next post counts again');
});

test('a typing storm stays bounded: a cap per post and per minute, at most 100 per request', async () => {
  const { sent, post, reporter } = pipeline();
  // A page of distinct findings: each new one is a new event, up to the cap per post.
  const many = Array.from({ length: 500 }, (_, i) => finding(i * 20));
  post.findings('finding_shown', many);
  post.posted();
  await settle();
  assert.equal(sent.flat().length, MAX_EVENTS_PER_POST);
  // Many posts in a minute (8 editors typing and posting): the minute's cap holds, the rest are counted.
  for (let i = 0; i < 20; i++) {
    const other = new PostEvents((events, o) => reporter.add(events, 'x', o));
    other.findings('finding_shown', many);
    other.posted();
  }
  await settle();
  assert.equal(sent.flat().length, MAX_PER_MINUTE);
  assert.ok(reporter.dropped > 0);
  assert.ok(sent.every((batch) => batch.length <= MAX_PER_REQUEST));
});

test('while the service is away events wait (bounded); refused ones are dropped, not retried forever', async () => {
  let answer = { ok: false, reason: 'unreachable' };
  const { sent, post, reporter } = pipeline({ send: async () => answer });
  post.post('post_unchecked');
  post.posted();
  await settle();
  assert.equal(reporter.queue.length, 1, 'kept for later');
  answer = { ok: true };
  await reporter.flush();
  assert.equal(reporter.queue.length, 0);
  assert.equal(sent.length, 2, 'sent again once the service was back');
  answer = { ok: false, reason: 'rejected', status: 503 };
  reporter.add([{ type: 'ignored', category: 'client', recognizer: 'r' }], 'x', { urgent: true });
  await settle();
  assert.equal(reporter.queue.length, 1, 'a failing service: kept');
  answer = { ok: false, reason: 'rejected', status: 400 };
  await reporter.flush();
  assert.equal(reporter.queue.length, 0, 'a refusal: dropped');
});

test('no event ever carries text: only the contract fields, names checked; the canary never leaves', async () => {
  const { sent, post, reporter } = pipeline();
  const findings = [finding(0), finding(20, 'project', 'project_code', 'info')];
  for (const type of EVENT_TYPES) {
    if (type === 'post_unchecked') post.post(type);
    else post.findings(type, findings);
  }
  // What a compromised page could push through a content script: extra fields and text posing as names.
  reporter.add([
    { type: 'replaced', category: 'client', recognizer: 'r', text: CANARY, value: CANARY, hash: CANARY },
    { type: 'ignored', category: `${CANARY}\nforged`, recognizer: 'r' },
    { type: 'ignored', category: 'client', recognizer: 'x'.repeat(200) },
    { type: 'finding_shown', category: 'client', recognizer: 'r', severity: CANARY },
    { type: `${CANARY}`, category: 'client', recognizer: 'r' },
  ], `https://${CANARY}.example`);
  post.posted();
  await settle();
  const all = sent.flat();
  assert.deepEqual(new Set(all.map((e) => e.type)), new Set(EVENT_TYPES), 'every type went out');
  const body = JSON.stringify(sent);
  assert.ok(!body.includes(CANARY) && !body.includes('Halden'), 'no text, no matched value');
  for (const e of all) {
    assert.deepEqual(Object.keys(e).filter((k) => !['type', 'site', 'category', 'recognizer', 'severity'].includes(k)), []);
  }
  assert.equal(toEvent({ type: 'ignored', category: 'client' }, 'x'), null, 'a finding event needs its recognizer');
  assert.deepEqual(toEvent({ type: 'post_blocked' }, 'x'), { type: 'post_blocked', site: 'x' }, 'post-level events may omit it');
});
