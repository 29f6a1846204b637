import { test } from 'node:test'
import assert from 'node:assert/strict'
import { palette, freeColor } from '../user.js'
import { colorOf, nameOf } from '../editor/cursors.js'

test('a taken caret colour is replaced by a free one', () => {
  assert.equal(freeColor(palette[0], new Set([palette[1]])), palette[0], 'a free colour is kept')
  const taken = new Set(palette.slice(0, palette.length - 1))
  assert.equal(freeColor(palette[0], taken), palette[palette.length - 1])
  assert.equal(freeColor(palette[0], new Set(palette)), null, 'nothing free: keep the clash')
  assert.equal(new Set(palette).size, palette.length)
  for (const c of palette) assert.match(c, /^#[0-9a-f]{6}$/)
})

test('awareness states from other clients are shown safely', () => {
  assert.equal(colorOf({ color: 'red; background: url(x)' }), '#5f6368')
  assert.equal(colorOf({ color: '#00AAbb' }), '#00AAbb')
  assert.equal(colorOf(null), '#5f6368')
  assert.equal(nameOf({ name: '  ' }, 42), '#42')
  assert.equal(nameOf({ name: 'x'.repeat(100) }, 1).length, 60)
  assert.equal(nameOf({ name: 7 }, 3), '#3')
})
