import { test } from 'node:test'
import assert from 'node:assert/strict'
import { contrastRatio, textOn } from '../editor/contrast.js'
import { palette } from '../user.js'
import { colorOf } from '../editor/cursors.js'

test('contrast ratios match the WCAG definition', () => {
  assert.equal(contrastRatio('#000000', '#ffffff'), 21)
  assert.equal(contrastRatio('#ffffff', '#000000'), 21)
  assert.equal(contrastRatio('#777777', '#777777'), 1)
  // #767676 is the lightest grey that still passes 4.5:1 on white.
  assert.ok(contrastRatio('#767676', '#ffffff') >= 4.5)
  assert.ok(contrastRatio('#777777', '#ffffff') < 4.5)
})

test('caret names are readable on every caret colour', () => {
  // The names are small (0.75rem), so they need 4.5:1 (WCAG 1.4.3).
  for (const c of [...palette, colorOf(null)]) {
    assert.equal(textOn(c), '#ffffff', `${c} is meant for white text`)
    assert.ok(contrastRatio(c, '#ffffff') >= 4.5, `white on ${c}: ${contrastRatio(c, '#ffffff').toFixed(2)}:1`)
  }
  // Another client may announce any colour: light ones take black text.
  for (const c of ['#ffff00', '#ffffff', '#a0e0a0', '#00ffff']) {
    assert.equal(textOn(c), '#000000', c)
    assert.ok(contrastRatio(c, textOn(c)) >= 4.5, c)
  }
})
