// The small decisions: keeping highlights anchored while typing, "Ignore here" by occurrence, the
// guard's verdict per mode and severity, and the badge.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BADGE_COLORS, badgeFor } from '../../src/background/badge.js';
import { verdict } from '../../src/content/guard.js';
import { occurrenceKeys, reanchor } from '../../src/content/session.js';

const finding = (text, start, severity = 'warn', category = 'client') => ({ text, start, end: start + text.length, severity, category });

test('typing before a finding shifts it; typing inside it drops it; text after it leaves it alone', () => {
  const old = 'Hi Pinecrest team';
  const f = finding('Pinecrest', 3);
  assert.deepEqual(reanchor([f], 'Hi all Pinecrest team', old.length), [{ ...f, start: 7, end: 16 }]);
  assert.deepEqual(reanchor([f], 'Hi Pinecrest team!!', old.length), [f]);
  assert.deepEqual(reanchor([f], 'Hi Pinecrxest team', old.length), []);
});

test('ignored occurrences are told apart by how many equal findings came before', () => {
  const keys = occurrenceKeys([finding('Pinecrest', 0), finding('Halden', 12), finding('Pinecrest', 20)]);
  assert.equal(new Set(keys).size, 3);
  assert.notEqual(keys[0], keys[2]);
  assert.deepEqual(occurrenceKeys([finding('Pinecrest', 5)]), [keys[0]], 'the first occurrence keeps its key when it moves');
});

const settings = { mode: 'block', failMode: 'open', paused: false, allowPostAnyway: true };
const state = (findings, status = 'ok', acknowledged = new Set()) => ({ status, findings, acknowledged });

test('block-severity findings stop the post in block mode, and only they are listed', () => {
  const patient = finding('Ann Lee', 0, 'block', 'patient');
  const v = verdict(state([patient, finding('Pinecrest', 10)]), settings);
  assert.deepEqual(v, { action: 'block', findings: [patient] });
});

test('warn mode asks instead of stopping; off mode and pause let everything through', () => {
  const patient = finding('Ann Lee', 0, 'block', 'patient');
  assert.equal(verdict(state([patient]), { ...settings, mode: 'warn' }).action, 'warn');
  assert.equal(verdict(state([patient]), { ...settings, mode: 'off' }).action, 'post');
  assert.equal(verdict(state([patient]), { ...settings, paused: true }).action, 'post');
});

test('warnings ask once: after "Post anyway" the same findings pass, a new one asks again', () => {
  const acknowledged = new Set(['client\u0000Pinecrest']);
  assert.equal(verdict(state([finding('Pinecrest', 0)], 'ok', acknowledged), settings).action, 'post');
  assert.equal(verdict(state([finding('Pinecrest', 0), finding('Halden', 20)], 'ok', acknowledged), settings).action, 'warn');
  assert.equal(verdict(state([finding('note', 0, 'info')]), settings).action, 'post', 'info never stops a post');
});

test('service down: fail open posts, fail closed stops unchecked', () => {
  assert.equal(verdict(state([], 'unreachable'), settings).action, 'post');
  assert.equal(verdict(state([], 'unreachable'), { ...settings, failMode: 'closed' }).action, 'unchecked');
});

test('the badge counts findings, takes the worst severity colour, and is grey when unreachable', () => {
  assert.deepEqual(badgeFor({ reachable: true, findings: [finding('a', 0, 'warn'), finding('b', 2, 'block')] }), { text: '2', color: BADGE_COLORS.block });
  assert.deepEqual(badgeFor({ reachable: true, findings: [] }), { text: '', color: BADGE_COLORS.none });
  assert.deepEqual(badgeFor({ reachable: false, findings: [finding('a', 0)] }), { text: '!', color: BADGE_COLORS.unreachable });
});
