// TextMap: the text the service sees and the DOM position of every UTF-16 unit, in one walk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JSDOM } from 'jsdom';
import { buildTextMap } from '../../src/content/textmap.js';

function editor(html) {
  const { document } = new JSDOM(`<div id="ed" contenteditable="true">${html}</div>`).window;
  return document.getElementById('ed');
}

/** Every substring a range built from the map covers must equal the map's own text there. */
function assertRangesMatchText(map) {
  for (let start = 0; start < map.text.length; start++) {
    for (let end = start + 1; end <= map.text.length; end++) {
      const want = map.text.slice(start, end).replaceAll('\n', '');
      assert.equal(map.range(start, end).toString(), want, `range ${start}-${end}`);
    }
  }
}

test('Quill paragraphs become lines joined by \\n, an empty <p><br></p> is an empty line', () => {
  const map = buildTextMap(editor('<p>Thanks to Halden Orthodontics</p><p><br></p><p>and <strong>Pinecrest</strong> Care Home</p>'));
  assert.equal(map.text, 'Thanks to Halden Orthodontics\n\nand Pinecrest Care Home');
  assertRangesMatchText(map);
});

test('an empty Quill editor (<p><br></p>) has no text', () => {
  assert.equal(buildTextMap(editor('<p><br></p>')).text, '');
});

test('<br> inside a block breaks the line; a trailing <br> adds nothing', () => {
  assert.equal(buildTextMap(editor('<div>one<br>two<br></div><div>three</div>')).text, 'one\ntwo\nthree');
  assert.equal(buildTextMap(editor('one<br><br>two')).text, 'one\n\ntwo');
});

test('emoji count as two UTF-16 units, and ranges after them land on the right characters', () => {
  const map = buildTextMap(editor('<p>Hi 👋🏽 from <em>Halden</em> Orthodontics</p>'));
  const start = map.text.indexOf('Halden');
  assert.equal(start, 'Hi 👋🏽 from '.length); // JS length: UTF-16 units
  assert.equal(start, 13);
  assert.equal(map.range(start, start + 'Halden Orthodontics'.length).toString(), 'Halden Orthodontics');
});

test('nested inline spans are walked in order and a range may span several text nodes', () => {
  const map = buildTextMap(editor('<p>a <span>b<b>c<i>d</i></b>e</span> f</p>'));
  assert.equal(map.text, 'a bcde f');
  assertRangesMatchText(map);
  assert.equal(map.range(2, 6).toString(), 'bcde');
});

test("Draft.js blocks: data-text spans, and an empty block's <br data-text> is zero characters", () => {
  const block = (key, inner) => `<div data-block="true" data-editor="e" data-offset-key="${key}-0-0"><div class="public-DraftStyleDefault-block public-DraftStyleDefault-ltr" data-offset-key="${key}-0-0">${inner}</div></div>`;
  const leaf = (key, text) => `<span data-offset-key="${key}"><span data-text="true">${text}</span></span>`;
  const html = `<div data-contents="true">${block('a', leaf('a-0-0', 'Met patient ') + leaf('a-0-1', 'Ann Lee'))}${block('b', '<span data-offset-key="b-0-0"><br data-text="true"></span>')}${block('c', leaf('c-0-0', 'at Pinecrest 🏥 today'))}</div>`;
  const map = buildTextMap(editor(html));
  assert.equal(map.text, 'Met patient Ann Lee\n\nat Pinecrest 🏥 today');
  assertRangesMatchText(map);
});

test('offsetOf maps a DOM caret position back to the text offset', () => {
  const root = editor('<p>ab</p><p>cd</p>');
  const map = buildTextMap(root);
  const second = root.querySelectorAll('p')[1].firstChild;
  assert.equal(map.offsetOf(second, 1), 4); // "ab\nc|d"
  assert.equal(map.offsetOf(root, 1), 3); // before the second paragraph
});

test("Quill's cursor placeholder and non-editable widgets are not text", () => {
  const map = buildTextMap(editor('<p>a<span class="ql-cursor">\ufeff</span>b<span contenteditable="false">widget</span>c</p>'));
  assert.equal(map.text, 'abc');
});

test('a range at a line break starts on the next line and ends on the previous one', () => {
  const map = buildTextMap(editor('<p>ab</p><p>cd</p>'));
  assert.equal(map.range(2, 5).startContainer.data, 'cd'); // "\ncd"
  assert.equal(map.range(0, 3).endContainer.data, 'ab'); // "ab\n"
  assert.equal(map.range(2, 3).collapsed, true, 'a range of only a line break covers no text');
});
