// Draft.js adapter: a replacement touching an immutable entity (mention, hashtag, link) covers all of it,
// because Draft.js deletes the whole entity when part of it is edited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JSDOM } from 'jsdom';
import { DraftAdapter } from '../../src/content/adapters/draft.js';

function draftEditor(inner) {
  const { document } = new JSDOM(`<div class="public-DraftEditor-content" contenteditable="true"><div data-contents="true"><div data-block="true"><div class="public-DraftStyleDefault-block">${inner}</div></div></div></div>`).window;
  return new DraftAdapter(document.querySelector('.public-DraftEditor-content'));
}

test('a finding inside a mention entity widens to the whole mention', () => {
  const adapter = draftEditor('<span><span data-text="true">Thanks </span></span><a href="/HaldenOrtho" data-testid="mention"><span><span data-text="true">@HaldenOrtho</span></span></a><span><span data-text="true"> team</span></span>');
  const map = adapter.readMap();
  assert.equal(map.text, 'Thanks @HaldenOrtho team');
  const start = map.text.indexOf('Halden');
  const range = adapter.replacementRange(map, start, start + 'HaldenOrtho'.length);
  assert.equal(range.toString(), '@HaldenOrtho');
});

test('a finding in plain text is not widened', () => {
  const adapter = draftEditor('<span><span data-text="true">Thanks Halden Ortho team</span></span>');
  const map = adapter.readMap();
  assert.equal(adapter.replacementRange(map, 7, 19).toString(), 'Halden Ortho');
});
