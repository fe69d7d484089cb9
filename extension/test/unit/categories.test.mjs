// The client side of GET /v1/categories (CONTRACTS.md): the policy is the one source of labels,
// severities and replacements; an answer in any other shape is refused, never half-used.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCategories } from '../../src/background/service.js';

const ANSWER = {
  fingerprint: 'abc123',
  categories: [
    { name: 'client', label: 'a confidential client', severity: 'warn', replacement: 'a client' },
    { name: 'deal', label: 'a confidential deal', severity: 'block', replacement: 'a deal' },
  ],
};

test("a contract answer gives every category, the policy's own included", () => {
  assert.deepEqual(parseCategories(ANSWER), ANSWER);
});

test('answers that break the contract are refused', () => {
  assert.equal(parseCategories({}), null);
  assert.equal(parseCategories({ fingerprint: 'x', categories: {} }), null);
  assert.equal(parseCategories({ ...ANSWER, categories: [{ ...ANSWER.categories[0], severity: 'loud' }] }), null);
  assert.equal(parseCategories({ ...ANSWER, categories: [{ ...ANSWER.categories[0], replacement: 3 }] }), null);
  assert.equal(parseCategories({ ...ANSWER, categories: [{ ...ANSWER.categories[0], name: '' }] }), null);
});
