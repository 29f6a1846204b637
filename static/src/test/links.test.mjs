import { test } from 'node:test'
import assert from 'node:assert/strict'
import { safeHref, normalizeHref } from '../links.js'
import { padLinks, embedSnippet } from '../share.js'

test('only http, https and mailto links are allowed', () => {
  assert.equal(safeHref('https://example.org/a?b=1'), 'https://example.org/a?b=1')
  assert.equal(safeHref('http://example.org'), 'http://example.org')
  assert.equal(safeHref('mailto:ana@example.org'), 'mailto:ana@example.org')
  for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', 'vbscript:x', '/relative', '', null, 42, 'file:///etc/passwd']) {
    assert.equal(safeHref(bad), null, String(bad))
  }
})

test('typed addresses are completed', () => {
  assert.equal(normalizeHref('example.org/x'), 'https://example.org/x')
  assert.equal(normalizeHref('ana@example.org'), 'mailto:ana@example.org')
  assert.equal(normalizeHref('  https://a.example  '), 'https://a.example')
  assert.equal(normalizeHref('javascript:alert(1)'), null)
  assert.equal(normalizeHref('   '), null)
})

test('share links and the embed snippet', () => {
  const l = padLinks('https://pads.example/', { id: 'e1', readOnlyId: 'r1' })
  assert.deepEqual(l, {
    edit: 'https://pads.example/p/e1',
    readOnly: 'https://pads.example/r/r1',
    embed: 'https://pads.example/p/e1/embed',
    postit: 'https://pads.example/p/e1/postit'
  })
  assert.equal(padLinks('https://x', { id: 'e1' }).readOnly, '')
  const s = embedSnippet(l.embed, 'Pad "A" <b>&')
  assert.match(s, /^<iframe src="https:\/\/pads\.example\/p\/e1\/embed" title="Pad &quot;A&quot; &lt;b&gt;&amp;"/)
  assert.doesNotMatch(s, /<b>/)
})
