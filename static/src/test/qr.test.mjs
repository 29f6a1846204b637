import { test } from 'node:test'
import assert from 'node:assert/strict'
import { qrPath } from '../qr.js'

test('QR path covers the three finder patterns inside a quiet zone', () => {
  const url = 'https://pads.example/p/3f4499ef-296c-442c-b7d8-9bfdf64b9ded/postit'
  const { d, size } = qrPath(url)
  const dark = new Set([...d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map(m => `${m[1]},${m[2]}`))
  const modules = size - 8
  assert.ok(modules >= 21 && (modules - 17) % 4 === 0, `a QR side is 17+4v modules, got ${modules}`)
  for (let i = 0; i < 4; i++) {
    assert.ok(!dark.has(`${i},${i + 4}`), 'quiet zone must stay light')
  }
  // Each finder: a 7x7 dark ring with a light ring inside and a 3x3 core.
  for (const [ox, oy] of [[4, 4], [4 + modules - 7, 4], [4, 4 + modules - 7]]) {
    for (let y = 0; y < 7; y++) {
      for (let x = 0; x < 7; x++) {
        const ring = x === 0 || y === 0 || x === 6 || y === 6
        const core = x >= 2 && x <= 4 && y >= 2 && y <= 4
        assert.equal(dark.has(`${ox + x},${oy + y}`), ring || core, `finder at ${ox},${oy} module ${x},${y}`)
      }
    }
  }
  assert.deepEqual(qrPath(url), { d, size }, 'same text, same code')
})
