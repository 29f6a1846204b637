import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buttonName } from '../editor/toolbar.js'

// A voice-control user says what a button shows; its name must contain it
// (WCAG 2.5.3), without repeating a letter the word already starts with.
test('button names contain what the button shows', () => {
  assert.equal(buttonName('Bold', { glyph: 'B' }), 'Bold')
  assert.equal(buttonName('Gras', { glyph: 'B' }), 'Gras, B')
  assert.equal(buttonName('Italique', { glyph: 'I' }), 'Italique')
  assert.equal(buttonName('Barré', { glyph: 'S' }), 'Barré, S')
  assert.equal(buttonName('Titre 2', { spoken: 'H2', glyph: 'H2' }), 'Titre 2, H2')
  assert.equal(buttonName('Numbered list', { spoken: '1.', glyph: '1.≡' }), 'Numbered list, 1.')
  assert.equal(buttonName('Quote', { glyph: '❝' }), 'Quote')
})
